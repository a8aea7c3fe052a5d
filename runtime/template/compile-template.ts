import type { TemplateReference } from './template-types.js';

export interface CompileOptions {
  /** Parameter names validated by an `enum`: the only request values that may become SQL text. */
  splice?: ReadonlySet<string>;
}

export interface CompiledTemplate {
  references: TemplateReference[];
}

export function compileTemplate(_source: string, _options: CompileOptions = {}): CompiledTemplate {
  throw new Error('not implemented yet');
}
