export * from './template-types.js';
export { compileTemplate, type CompiledTemplate, type CompileOptions } from './compile-template.js';
export { renderTemplate, TemplateRenderError } from './render-template.js';
