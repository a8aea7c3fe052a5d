/**
 * Types of a compiled SQL template. A template is parsed once (at load or build time)
 * into this tree; each request only walks it. Request values never become SQL text:
 * they become positional parameters (`$1`, `$2`, ...) unless the parameter is
 * enum-validated, which is the one case where a value may be spliced.
 */

/** A value bound to a DuckDB parameter. */
export type BoundValue = string | number | bigint | boolean | null;

/** Namespaces a template may read. `params` and `auth` come from the request. */
export type Namespace = 'params' | 'auth' | 'conn' | 'env' | 'cache';

export interface TemplateContext {
  params: Record<string, unknown>;
  auth?: Record<string, unknown>;
  conn?: Record<string, unknown>;
  env?: Record<string, unknown>;
  cache?: Record<string, unknown>;
}

/** Where a tag stands in the SQL text, which decides how it may be rendered. */
export type TagPlacement =
  /** bare SQL position: `WHERE id = {{params.id}}` */
  | 'value'
  /** inside a single-quoted literal: `'%{{params.q}}%'` */
  | 'literal'
  /** inside a double-quoted identifier or after ORDER BY / GROUP BY / FROM / JOIN: SQL text */
  | 'identifier'
  /** the opening tag of a `{{#x}}` or `{{^x}}` section */
  | 'section';

/** Every tag in the template, for validation (undeclared params, enum-only positions). */
export interface TemplateReference {
  /** Dotted path as written, e.g. `params.region`. */
  path: string;
  namespace: Namespace | undefined;
  /** The key under the namespace, e.g. `region`. */
  key: string | undefined;
  placement: TagPlacement;
  /** 1-based position of the tag in the template text. */
  line: number;
  column: number;
}

export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

export interface RenderedSql {
  /** SQL with `$1..$n` placeholders. Identical for identical section outcomes, so it keys the statement cache. */
  sql: string;
  values: BoundValue[];
}
