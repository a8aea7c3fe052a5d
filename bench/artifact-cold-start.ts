/**
 * `node --import tsx bench/artifact-cold-start.ts [--count=7] [--warm=200]`: the serverless
 * figures of artifact mode. `flapi build examples/flights` (compiled offline) and
 * `flapi bake examples/flights`; the artifact is also uploaded to an S3-compatible server
 * on loopback (s3rver). Then, for the built server and for its Lambda handler, each on
 * the local file and on `s3://` (downloaded in parts, and as one stream), and for the
 * floor (Koa + @koa/router + DuckDB on the local file): cold start (process spawn to the
 * first 200, every variant once per round for `count` rounds) and warm latency
 * (sequential point lookups with distinct ids, so the response cache never answers).
 * Writes bench/results/artifact-cold-start.md. Needs `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareBuiltProject } from './harness/built-project.js';
import { median } from './harness/cold-start.js';
import { REPO_ROOT } from './harness/flights-table.js';
import { uploadToS3rver } from './harness/s3-artifact-store.js';
import { launchServer, type LaunchSpec } from './harness/server-process.js';
import { coldStartFloorSpec } from './harness/server-list.js';

/** The built server's cold start on a local artifact is held to this multiple of the floor's. */
const FLOOR_TARGET = 1.15;

const { values: flags } = parseArgs({ options: { count: { type: 'string', default: '7' }, warm: { type: 'string', default: '200' } } });
const count = Number(flags.count);
const warm = Number(flags.warm);

interface Figures {
  label: string;
  coldMs: number[];
  warmMs: number[];
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function warmLatencies(baseUrl: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < warm; i++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/flights/${1 + Math.floor(Math.random() * 3_000_000)}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`warm request answered ${response.status}`);
    out.push(performance.now() - started);
  }
  return out;
}

function lambdaOnce(entry: string, env: Record<string, string>, warmCount: number): Promise<{ coldMs: number; latencies: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bench/harness/lambda-cold-start.mjs'), entry, String(warmCount)], {
      env: { ...process.env, ...env, FLAPI_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`lambda run exited ${code}: ${err.slice(-600)}`));
      // Measured in the child from its time origin: process start to the first response.
      resolve(JSON.parse(out) as { coldMs: number; latencies: number[] });
    });
  });
}

/** One variant measured once per round: its cold start, and warm latencies when asked. */
type Variant = { label: string; once(withWarm: boolean): Promise<{ coldMs: number; warmMs: number[] }> };

function serverVariant(label: string, spec: LaunchSpec, withWarmRun = true): Variant {
  return {
    label,
    async once(withWarm) {
      const server = await launchServer(spec, () => []);
      try {
        return { coldMs: server.startupMs, warmMs: withWarm && withWarmRun ? await warmLatencies(server.baseUrl) : [] };
      } finally {
        await server.stop();
      }
    },
  };
}

function lambdaVariant(label: string, entry: string, env: Record<string, string>): Variant {
  return {
    label,
    async once(withWarm) {
      const run = await lambdaOnce(entry, env, withWarm ? warm : 0);
      return { coldMs: run.coldMs, warmMs: run.latencies };
    },
  };
}

/** Every variant once per round, in turn, so all see the same drift in machine load. */
async function measure(variants: Variant[]): Promise<Figures[]> {
  const figures = variants.map((v) => ({ label: v.label, coldMs: [] as number[], warmMs: [] as number[] }));
  for (let round = 0; round < count; round++) {
    for (const [i, variant] of variants.entries()) {
      const result = await variant.once(round === count - 1);
      figures[i]!.coldMs.push(result.coldMs);
      if (result.warmMs.length > 0) figures[i]!.warmMs = result.warmMs;
    }
  }
  return figures;
}

const fmt = (ms: number) => (ms >= 100 ? Math.round(ms).toString() : ms.toFixed(2));

function floorLine(rows: Figures[]): string[] {
  const built = rows.find((r) => r.label.startsWith('built server, local'));
  const floor = rows.find((r) => r.label.startsWith('floor'));
  if (built === undefined || floor === undefined) return [];
  const ratio = median(built.coldMs) / median(floor.coldMs);
  return ['', `Built server on a local artifact against the floor: ${ratio.toFixed(2)}× (target ≤ ${FLOOR_TARGET}×: ${ratio <= FLOOR_TARGET ? 'met' : 'not met'}).`];
}

function report(rows: Figures[], artifactBytes: number): string {
  const lines = [
    `# Artifact mode: cold start and warm latency`,
    '',
    `${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; examples/flights baked to ${(artifactBytes / 1024 / 1024).toFixed(1)} MB (3,000,000 flights, 3,376 airports).`,
    `Cold start: process spawn to the first 200 (GET /flights/1), median of ${count}, the variants taking turns round by round; the Lambda handler's is measured in its process, from the process's time origin to the first response. Warm: ${warm} sequential GET /flights/<random id> after the last start (response-cache misses).`,
    '',
    '| Variant | Cold start median (ms) | Cold start samples (ms) | Warm p50 (ms) | Warm p99 (ms) |',
    '|---|---:|---|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.label} | ${fmt(median(r.coldMs))} | ${r.coldMs.map((m) => Math.round(m)).join(', ')} | ${r.warmMs.length ? fmt(percentile(r.warmMs, 50)) : '–'} | ${r.warmMs.length ? fmt(percentile(r.warmMs, 99)) : '–'} |`);
  }
  lines.push(...floorLine(rows));
  if (loadavg()[0]! > cpus().length) {
    lines.push('', `The load average exceeded the ${cpus().length} cores: absolute times are several times an idle machine's; read the ratios, measured in the same rounds.`);
  }
  lines.push('', 'S3 is s3rver on loopback: the download costs what reading and writing the file costs here, not a network transfer; '
    + 'parts are 8 MiB, four at a time (FLAPI_ARTIFACT_PARTS=1 reads one stream).', '');
  return lines.join('\n');
}

const out = mkdtempSync(join(tmpdir(), 'flapi-artifact-bench-'));
try {
  const build = spawnSync(process.execPath, ['bin/flapi.js', 'build', 'examples/flights', '--out', out, '--no-lockfile'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`flapi build failed: ${build.stderr || build.stdout}`);
  const built = await prepareBuiltProject(out);
  if (built.artifactSource !== 'flapi bake') throw new Error('flapi bake did not produce the artifact');
  const s3 = await uploadToS3rver(built.artifact);
  try {
    const base = { cwd: out, readyPath: '/flights/1', startTimeoutMs: 60_000, args: [built.entry] };
    const quiet = { FLAPI_HOST: '127.0.0.1', FLAPI_LOG_LEVEL: 'warn' };
    const lambdaEntry = join(out, 'dist', 'lambda.js');
    const floor = coldStartFloorSpec({ built });
    if ('unavailable' in floor) throw new Error(floor.unavailable);
    const oneStream = { FLAPI_ARTIFACT_PARTS: '1' };
    const rows = await measure([
      serverVariant('built server, local artifact', { ...base, env: { ...quiet, FLAPI_DATABASE: built.artifact } }),
      serverVariant('floor: Koa + @koa/router + DuckDB, local artifact', floor),
      serverVariant('built server, s3:// (s3rver)', { ...base, env: { ...quiet, ...s3.env, FLAPI_DATABASE: s3.url } }),
      serverVariant('built server, s3:// (s3rver), one stream', { ...base, env: { ...quiet, ...s3.env, ...oneStream, FLAPI_DATABASE: s3.url } }, false),
      lambdaVariant('Lambda handler, local artifact', lambdaEntry, { FLAPI_DATABASE: built.artifact }),
      lambdaVariant('Lambda handler, s3:// (s3rver)', lambdaEntry, { ...s3.env, FLAPI_DATABASE: s3.url }),
      lambdaVariant('Lambda handler, s3:// (s3rver), one stream', lambdaEntry, { ...s3.env, ...oneStream, FLAPI_DATABASE: s3.url }),
    ]);
    const text = report(rows, statSync(built.artifact).size);
    writeFileSync(join(REPO_ROOT, 'bench/results/artifact-cold-start.md'), text);
    process.stdout.write(text);
  } finally {
    await s3.close();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
