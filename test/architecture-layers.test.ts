/**
 * The import graph keeps its shape (docs/architecture.md): no cycles anywhere in
 * `runtime/` or `cli/` (type imports count: a cycle of types is still two files that
 * cannot be understood apart), `runtime/` never imports `cli/`, and the core a request
 * runs on (plan, params, template, db, serialize, formats) never reaches up into the
 * surfaces (HTTP app, MCP, Lambda, docs) or the server's lifecycle; and no source file
 * grows past 300 lines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import madge from 'madge';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const CORE = ['runtime/plan/', 'runtime/params/', 'runtime/template/', 'runtime/db/', 'runtime/serialize/', 'runtime/formats/', 'runtime/manifest.ts', 'runtime/manifest-security.ts'];
/** Files outside the core folders that the core may use: pure leaves with no imports of their own above the core. */
const CORE_LEAVES = ['runtime/security/auth-context.ts', 'runtime/cache/cache-target.ts', 'runtime/cache/sql-names.ts'];

const inCore = (file: string) => CORE.some((prefix) => file.startsWith(prefix));

describe('architecture', () => {
  let graph: Record<string, string[]>;
  let cycles: string[][];
  before(async () => {
    const result = await madge(['runtime', 'cli'], { baseDir: ROOT, fileExtensions: ['ts'], tsConfig: `${ROOT}tsconfig.json` });
    graph = result.obj();
    cycles = result.circular();
  });

  it('sees the whole tree', () => {
    assert.ok(Object.keys(graph).filter((f) => f.startsWith('runtime/')).length > 100);
    assert.ok(Object.keys(graph).filter((f) => f.startsWith('cli/')).length > 50);
  });

  it('has no import cycles in runtime/ or cli/', () => {
    assert.deepEqual(cycles.map((cycle) => cycle.join(' -> ')), []);
  });

  it('never imports cli/ from runtime/', () => {
    const wrong = Object.entries(graph).flatMap(([file, deps]) =>
      file.startsWith('runtime/') ? deps.filter((d) => d.startsWith('cli/')).map((d) => `${file} -> ${d}`) : []);
    assert.deepEqual(wrong, []);
  });

  it('keeps the request core free of surfaces and lifecycle', () => {
    const wrong = Object.entries(graph).flatMap(([file, deps]) =>
      inCore(file) ? deps.filter((d) => d.startsWith('runtime/') && !inCore(d) && !CORE_LEAVES.includes(d)).map((d) => `${file} -> ${d}`) : []);
    assert.deepEqual(wrong, []);
  });

  it('keeps every source file readable in one sitting (300 lines at most)', () => {
    const long = Object.keys(graph)
      .map((file) => [file, readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 300)
      .map(([file, lines]) => `${file}: ${lines} lines`);
    assert.deepEqual(long, []);
  });

  it('keeps the core leaves leaves', () => {
    const wrong = CORE_LEAVES.flatMap((file) =>
      (graph[file] ?? []).filter((d) => !inCore(d) && !CORE_LEAVES.includes(d)).map((d) => `${file} -> ${d}`));
    assert.deepEqual(wrong, []);
  });
});
