export { buildOpenApi, openApiPath, type OpenApiDocument } from './build-openapi.js';
export { openApiYaml } from './openapi-yaml.js';
export { columnSchema, rowSchema, typeSchema } from './column-schema.js';
export { paramSchema, validatorSchema } from './param-schema.js';
export { parseTypeText, type TypeNode } from './duckdb-type-text.js';
export { nullable, type JsonSchema } from './json-schema.js';
