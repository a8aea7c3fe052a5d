export { buildOpenApi, openApiPath, type OpenApiDocument } from './build-openapi.js';
// openApiYaml (./openapi-yaml.js) is imported where needed: the yaml package is ~70 modules.
export { columnSchema, rowSchema, typeSchema } from './column-schema.js';
export { paramSchema, validatorSchema } from './param-schema.js';
export { parseTypeText, type TypeNode } from './duckdb-type-text.js';
export { nullable, type JsonSchema } from './json-schema.js';
