/**
 * How flapi's costs grow with the data and with the project. Data: a generated table of
 * 1M, 10M and 30M rows (DuckDB `range()`, an index on `id`, written once to a database
 * file that a temporary project serves read-only with `flapi dev`), measured on a point
 * lookup by id and a 100-row list page, with the server's resident memory after both.
 * Project: `flapi validate` and `flapi build` of generated projects of 10, 50 and 200
 * endpoints (bench/harness/generated-endpoints.ts), CLI start to exit.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { timeCli, type CliTiming } from './cli-timing.js';
import { OFFLINE_DUCKDB_OPTIONS, REPO_ROOT } from './flights-table.js';
import { writeGeneratedProject } from './generated-endpoints.js';
import { measureLoad, type LoadResult } from './load-test.js';
import { treePeakRssMib, treeRssMib } from './process-memory.js';
import { treeCpuSeconds } from './proc-cpu.js';
import { flapiDevSpec } from './server-list.js';
import { launchServer } from './server-process.js';

export interface GrowthRow {
  rows: number;
  /** Generating the table and its index, in ms (not part of any figure below). */
  generateMs?: number;
  lookup?: LoadResult;
  list?: LoadResult;
  /** Resident memory of the server after both loads, and its peak. */
  rssMib?: number;
  peakRssMib?: number;
  unavailable?: string;
}

export interface EndpointScaling {
  endpoints: number;
  validate: CliTiming;
  build: CliTiming;
}

export interface GrowthSettings {
  rows: readonly number[];
  /** Measured seconds per scenario and size, after the warm-up. */
  seconds: number;
  warmupSeconds: number;
}

export const LOOKUP_CLIENTS = 20;
export const LIST_CLIENTS = 8;
const CATEGORIES = 50;
/**
 * The list pages ask for a few categories only, each counted once before the measured
 * run (`total_count` is remembered per filter), so the figure is the page's own cost.
 */
const LIST_CATEGORIES = 5;

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

const PROJECT_YAML = (rows: number) => `project-name: growth-${rows}
template:
  path: ./sqls
connections:
  items: {}
duckdb:
  db_path: ./items.duckdb
  access_mode: READ_ONLY
  autoinstall_known_extensions: false
  autoload_known_extensions: false
mcp:
  auth:
    enabled: false
`;

const ENDPOINTS: Record<string, string> = {
  'item.yaml': 'url-path: /items/:id\ntemplate-source: item.sql\nconnection: [items]\nwith-pagination: false\n' +
    'request:\n  - field-name: id\n    field-in: path\n    required: true\n    validators: [{ type: int, min: 1 }]\n',
  'item.sql': 'SELECT id, category, amount, day FROM items WHERE id = {{params.id}}\n',
  'items.yaml': 'url-path: /items\ntemplate-source: items.sql\nconnection: [items]\n' +
    "request:\n  - field-name: category\n    field-in: query\n    validators: [{ type: string, regex: '^c[0-9]+$' }]\n",
  'items.sql': "SELECT id, category, amount, day FROM items\nWHERE 1 = 1\n{{#params.category}}\n  AND category = '{{{params.category}}}'\n{{/params.category}}\nORDER BY id\n",
};

/** The rows of a growth table, stored in id order with an index on id. */
export function growthTableSql(rows: number): string[] {
  return [
    `CREATE TABLE items AS
      SELECT i AS id, 'c' || (i % ${CATEGORIES}) AS category, (i * 7919) % 100000 AS amount,
             DATE '2024-01-01' + CAST(i % 365 AS INTEGER) AS day
      FROM range(1, ${rows + 1}) t(i)`,
    'CREATE UNIQUE INDEX items_id ON items(id)',
    'CHECKPOINT',
  ];
}

/** The project and its database file in `dir`; returns how long generating the rows took, in ms. */
export async function writeGrowthProject(dir: string, rows: number): Promise<number> {
  mkdirSync(join(dir, 'sqls'), { recursive: true });
  writeFileSync(join(dir, 'flapi.yaml'), PROJECT_YAML(rows));
  for (const [file, text] of Object.entries(ENDPOINTS)) writeFileSync(join(dir, 'sqls', file), text);
  const started = performance.now();
  const instance = await DuckDBInstance.create(join(dir, 'items.duckdb'), OFFLINE_DUCKDB_OPTIONS);
  const connection = await instance.connect();
  try {
    for (const sql of growthTableSql(rows)) await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return performance.now() - started;
}

async function measureSize(work: string, rows: number, settings: GrowthSettings): Promise<GrowthRow> {
  const dir = join(work, `rows-${rows}`);
  try {
    const generateMs = await writeGrowthProject(dir, rows);
    const spec = flapiDevSpec(dir, '/items/1');
    if ('unavailable' in spec) return { rows, generateMs, unavailable: spec.unavailable };
    const server = await launchServer(spec, (port) => ['--port', String(port)]);
    try {
      const cpuSeconds = () => treeCpuSeconds(server.pid);
      const load = (path: () => string, connections: number) =>
        measureLoad({ baseUrl: server.baseUrl, path, connections, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds, cpuSeconds });
      const lookup = await load(() => `/items/${randomInt(1, rows)}`, LOOKUP_CLIENTS);
      for (let c = 0; c < LIST_CATEGORIES; c++) await (await fetch(`${server.baseUrl}/items?category=c${c}&limit=100&offset=0`)).arrayBuffer();
      const list = await load(() => `/items?category=c${randomInt(0, LIST_CATEGORIES - 1)}&limit=100&offset=${randomInt(0, 2000)}`, LIST_CLIENTS);
      return { rows, generateMs, lookup, list, rssMib: treeRssMib(server.pid), peakRssMib: server.peakRssMib() };
    } finally {
      await server.stop();
    }
  } catch (err) {
    return { rows, unavailable: (err as Error).message.replace(/\s+/g, ' ').slice(0, 300) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureGrowth(settings: GrowthSettings, log: (line: string) => void): Promise<GrowthRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'flapi-bench-growth-'));
  try {
    const found: GrowthRow[] = [];
    for (const rows of settings.rows) {
      log(`growth: ${rows.toLocaleString('en-US')} generated rows`);
      found.push(await measureSize(work, rows, settings));
    }
    return found;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function measureEndpointScaling(counts: readonly number[], log: (line: string) => void): Promise<EndpointScaling[]> {
  const work = mkdtempSync(join(tmpdir(), 'flapi-bench-endpoints-'));
  const flapi = join(REPO_ROOT, 'bin', 'flapi.js');
  try {
    const found: EndpointScaling[] = [];
    for (const endpoints of counts) {
      log(`growth: validate and build of ${endpoints} generated endpoints`);
      const project = join(work, `endpoints-${endpoints}`);
      writeGeneratedProject(project, endpoints);
      const validate = await timeCli([flapi, 'validate', project], work);
      const build = await timeCli([flapi, 'build', project, '--out', join(work, `out-${endpoints}`), '--no-lockfile'], work);
      found.push({ endpoints, validate, build });
    }
    return found;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
