/** The runtime's public surface: what a built server and `flapi dev` import. */
export * from './manifest.js';
export * from './app/index.js';
export * from './db/index.js';
export * from './params/index.js';
export { compileTemplate, renderTemplate, TemplateSyntaxError, TemplateRenderError } from './template/index.js';
export type { BoundValue, CompiledTemplate, TemplateContext, TemplateReference, RenderedSql } from './template/index.js';
export * from './artifact/index.js';
