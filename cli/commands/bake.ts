import { resolve } from 'node:path';
import { bakeArtifact, type BakeResult } from '../bake/bake-artifact.js';
import { compileProject } from '../compile-project.js';
import { formatDiagnostic } from '../diagnostics/index.js';
import { VERSION } from '../version.js';

export interface BakeCommandOptions {
  out?: string;
  config?: string;
  artifactVersion?: string;
  json?: boolean;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function summary(result: BakeResult): string {
  const width = Math.max(...result.tables.map((t) => `${t.schema}.${t.name}`.length), 10);
  const lines = [`✓ baked ${result.file} (version ${result.version}, ${megabytes(result.bytes)}, ${(result.ms / 1000).toFixed(1)} s)`];
  for (const t of result.tables) {
    lines.push(`  ${`${t.schema}.${t.name}`.padEnd(width)}  ${t.rows.toLocaleString('en-US').padStart(12)} rows  (${t.origin})`);
  }
  for (const v of result.views) {
    lines.push(`  ${`${v.schema}.${v.name}`.padEnd(width)}  view${v.readsFiles ? ' — reads files by path when queried; they must exist where the artifact is served (make it a table in init to bake its rows)' : ''}`);
  }
  lines.push(`serve it read-only: FLAPI_DATABASE=${result.file} (or upload it and use s3://, gs:// or https://)`);
  return `${lines.join('\n')}\n`;
}

/**
 * `flapi bake [dir] --out FILE`: compile the project (any error stops the bake), then
 * materialise its init tables and caches into FILE. Exit 0 on success, 1 otherwise.
 */
export async function run(dir: string, options: BakeCommandOptions = {}): Promise<number> {
  const compiled = await compileProject({ dir, ...(options.config ? { config: options.config } : {}) });
  for (const d of compiled.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (compiled.manifest === undefined) {
    process.stderr.write('flapi bake: the project has errors; nothing was baked.\n');
    return 1;
  }
  const out = resolve(options.out ?? `${compiled.manifest.project.name}.duckdb`);
  try {
    const result = await bakeArtifact({
      manifest: compiled.manifest,
      out,
      flapiVersion: VERSION,
      ...(options.artifactVersion ? { version: options.artifactVersion } : {}),
      progress: options.json ? undefined : (line) => process.stderr.write(`flapi bake: ${line}\n`),
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ file: result.file, version: result.version, built_at: result.builtAt, bytes: result.bytes, ms: result.ms, tables: result.tables, views: result.views }, null, 2)}\n`);
    } else {
      process.stdout.write(summary(result));
    }
    return 0;
  } catch (err) {
    process.stderr.write(`flapi bake: ${(err as Error).message}; nothing was written to ${out}\n`);
    return 1;
  }
}
