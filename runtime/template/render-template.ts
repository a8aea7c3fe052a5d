import type { CompiledTemplate } from './compile-template.js';
import type { RenderedSql, TemplateContext } from './template-types.js';

export function renderTemplate(_template: CompiledTemplate, _context: TemplateContext): RenderedSql {
  throw new Error('not implemented yet');
}
