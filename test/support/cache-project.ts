/**
 * Throwaway projects for the cache tests: a flapi.yaml and endpoint files written to a
 * temp folder and compiled by the real compiler, so config, manifest and runtime are
 * exercised together.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileProject } from '../../cli/compile-project.js';
import type { Manifest } from '../../runtime/manifest.js';

export interface TempProject {
  dir: string;
  write(file: string, text: string): void;
  compile(env?: Record<string, string | undefined>): Promise<Manifest>;
  remove(): void;
}

export function tempProject(files: Record<string, string>, prefix = 'flapi-cache-'): TempProject {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  for (const [file, text] of Object.entries(files)) write(file, text);
  return {
    dir,
    write,
    async compile(env = {}) {
      const result = await compileProject({ dir, env, dryRun: false });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (!result.manifest) throw new Error(`project does not compile:\n${errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`);
      return result.manifest;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Polls until `check` is true (or throws after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
