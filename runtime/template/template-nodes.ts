/**
 * The compiled form of a template: a small tree walked once per request. Node kinds
 * encode the safety decision made at compile time, so rendering never has to think.
 */

/** A dotted path split once at compile time: `params.region` → ['params', 'region']. */
export type Path = readonly string[];

export type TemplateNode =
  /** SQL text written by the template author. */
  | { kind: 'text'; text: string }
  /** A request value: becomes one `$n` placeholder (same path → same placeholder). */
  | { kind: 'bind'; path: Path; key: string }
  /** A trusted value (conn/env/cache, or an enum-validated param): spliced as text. */
  | { kind: 'splice'; path: Path; allowed?: ReadonlySet<string>; quoted: boolean }
  /** A quoted literal holding request values: bound whole as one string. */
  | { kind: 'literal'; parts: readonly LiteralPart[] }
  /** A request value where SQL text is expected and no enum vouches for it. */
  | { kind: 'refuse'; path: Path; key: string; line: number; column: number }
  | { kind: 'section'; path: Path; inverted: boolean; children: readonly TemplateNode[] };

/** Text inside a literal is stored unescaped (`''` → `'`): it is part of the bound value. */
export type LiteralPart = string | { path: Path };
