import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Document, type Node } from 'yaml';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { originOf, type SourceText } from './source-text.js';
import { explainYamlErrors } from './yaml-syntax-errors.js';

export type YamlPath = readonly (string | number)[];

/**
 * One parsed YAML file (after substitution) that can point back at what the user wrote:
 * `locate(['request', 0, 'field-name'])` gives the file, line and column of that node.
 */
export class YamlDocument {
  readonly data: unknown;
  readonly parseDiagnostics: Diagnostic[] = [];
  private readonly doc: Document.Parsed;
  private readonly lineCounter = new LineCounter();

  constructor(readonly file: string, readonly source: SourceText) {
    this.doc = parseDocument(source.text, { lineCounter: this.lineCounter, uniqueKeys: true, prettyErrors: false });
    for (const e of explainYamlErrors(source.text, this.doc.errors, (offset) => this.position(offset))) {
      this.parseDiagnostics.push({ severity: 'error', ...this.position(e.offset), code: e.code, message: e.message });
    }
    for (const w of this.doc.warnings) {
      this.parseDiagnostics.push({ severity: 'warning', ...this.position(w.pos[0]), code: 'yaml-warning', message: w.message.split('\n')[0]! });
    }
    this.data = this.doc.errors.length > 0 ? undefined : this.doc.toJS({ maxAliasCount: 100 });
  }

  /** Position of the node at `path` (its key when `part` is 'key'); the nearest existing ancestor otherwise. */
  locate(path: YamlPath, part: 'key' | 'value' = 'value'): SourcePosition {
    let node: unknown = this.doc.contents;
    type Ranged = { range?: [number, number, number] | null } | null | undefined;
    let found: Ranged = node as Ranged;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const last = segment === path[path.length - 1] && part === 'key';
        node = last ? pair.key : pair.value;
        found = (node ?? pair.key) as Ranged;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (!node) break;
        found = node as Ranged;
      } else {
        break;
      }
    }
    const offset = (found as Ranged)?.range?.[0];
    return offset === undefined ? { file: this.file, line: 1, column: 1 } : this.position(offset);
  }

  /** Keys of the mapping at `path`, with their positions, in written order. */
  keysAt(path: YamlPath): { key: string; position: SourcePosition }[] {
    let node: unknown = this.doc.contents;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        node = pair?.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        return [];
      }
    }
    if (!isMap(node)) return [];
    return node.items.filter(isPair).flatMap((p) => {
      const key = p.key as Node | null;
      if (!isScalar(key) || !key.range) return [];
      return [{ key: String(key.value), position: this.position(key.range[0]) }];
    });
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    const at = originOf(this.source, line, col);
    return { file: at.file || this.file, line: at.line, column: at.column };
  }
}
