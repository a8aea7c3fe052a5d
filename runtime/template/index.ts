export * from './template-types.js';
export { compileTemplate, type CompiledTemplate, type CompileOptions } from './compile-template.js';
export { renderTemplate } from './render-template.js';
