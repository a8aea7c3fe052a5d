/**
 * What every fuzz response must satisfy: no 5xx but 503, error bodies in JSON that name no
 * file, stack or SQL, JSON that parses, and rows only of the owners and tenants the
 * request was entitled to, in every format the server can answer in.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import type { WireResponse } from './fuzz-client.js';
import type { FuzzRequest } from './fuzz-requests.js';

type Row = Record<string, unknown>;

/** Text an error must not show: where the project lives, how it is built, what SQL ran. */
const LEAKS: RegExp[] = [
  /\/work\/|\/home\/|\/tmp\//,
  /node_modules|fixtures|fuzz-shop/,
  /\.sql\b|\.ya?ml\b|\bsqls\//,
  /\n\s+at .+:\d+/,
  /\b(Binder|Parser|Catalog|Conversion|Invalid Input|IO|Permission|Internal) Error\b/,
  /\bSELECT\b[\s\S]*\bFROM\b/i,
  /\bWHERE\s+owner\b|\bFROM\s+orders\b/i,
];

export interface Verdict {
  /** What is wrong with the answer, if anything. */
  problem?: string;
  /** How many rows the answer held (all checked). */
  rows: number;
}

export async function checkResponse(request: FuzzRequest, response: WireResponse | undefined): Promise<Verdict> {
  let rows = 0;
  const problem = await findProblem(request, response, (n) => (rows = n));
  return problem === undefined ? { rows } : { problem, rows };
}

async function findProblem(request: FuzzRequest, response: WireResponse | undefined, counted: (rows: number) => void): Promise<string | undefined> {
  if (response === undefined) return undefined;
  const { status, headers } = response;
  if (!Number.isInteger(status)) return `unreadable status line`;
  if (status >= 500 && status !== 503) return `status ${status}: ${response.body.toString('utf8').slice(0, 300)}`;
  const body = decode(response.body, headers['content-encoding']);
  const type = headers['content-type'] ?? '';
  const text = body.toString('utf8');
  if (status >= 400 && body.length > 0) {
    if (!/json/i.test(type)) return `status ${status} answered as ${type || 'no content type'}: ${text.slice(0, 200)}`;
    const sent = requestText(request);
    for (const leak of LEAKS) {
      const match = leak.exec(text);
      if (match && !leak.test(sent)) return `status ${status} error names ${JSON.stringify(match[0])}: ${text.slice(0, 300)}`;
    }
  }
  let rows: Row[];
  try {
    rows = await rowsOf(body, type);
  } catch (err) {
    return `status ${status} ${type} body does not parse (${(err as Error).message}): ${text.slice(0, 200)}`;
  }
  counted(rows.length);
  if (status >= 300) return rows.length ? `status ${status} with ${rows.length} rows` : undefined;
  for (const row of rows) {
    if (!request.owners.includes(String(row.owner))) return `row of owner ${String(row.owner)} (id ${String(row.id)}) answered to ${request.owners.join('+') || 'no verified caller'}`;
    if (request.tenants && !request.tenants.includes(String(row.tenant))) return `row of tenant ${String(row.tenant)} (id ${String(row.id)}) answered for tenants [${request.tenants.join(', ')}]`;
  }
  return undefined;
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (!encoding || body.length === 0) return body;
  if (/gzip/i.test(encoding)) return gunzipSync(body);
  if (/br/i.test(encoding)) return brotliDecompressSync(body);
  if (/deflate/i.test(encoding)) return inflateSync(body);
  return body;
}

function requestText(request: FuzzRequest): string {
  const headers = request.headers.map(([n, v]) => `${n}: ${v}`).join('\n');
  const sent = `${request.target}\n${headers}\n${request.body?.toString('latin1') ?? ''}`;
  return `${sent}\n${Buffer.from(sent, 'latin1').toString('utf8')}\n${safeDecode(request.target)}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** The rows in a body of any format the server produces; throws when the body is broken. */
async function rowsOf(body: Buffer, type: string): Promise<Row[]> {
  if (body.length === 0) return [];
  if (/x-ndjson/i.test(type)) return body.toString('utf8').split('\n').filter((l) => l.trim()).flatMap((l) => objectsIn(JSON.parse(l)));
  if (/json/i.test(type)) return objectsIn(JSON.parse(body.toString('utf8')));
  if (/text\/csv/i.test(type)) return csvRows(body.toString('utf8'));
  if (/arrow/i.test(type)) return tableFromIPC(new Uint8Array(body)).toArray().map((r: { toJSON(): Row }) => r.toJSON());
  if (/parquet/i.test(type)) return parquetRows(body);
  return [];
}

/** Every object anywhere in a JSON value with an owner value (not a schema's): a row. */
function objectsIn(value: unknown): Row[] {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  if (value === null || typeof value !== 'object') return [];
  const row = value as Row;
  const isRow = 'owner' in row && (row.owner === null || typeof row.owner !== 'object');
  return isRow ? [row] : Object.values(row).flatMap(objectsIn);
}

function csvRows(text: string): Row[] {
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l !== '');
  if (head === undefined) return [];
  const names = head.split(',');
  if (!names.includes('owner')) return [];
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i] ?? `c${i}`, v])));
}

let parquet: Promise<DuckDBConnection> | undefined;

async function parquetRows(body: Buffer): Promise<Row[]> {
  parquet ??= DuckDBInstance.create(':memory:').then((db) => db.connect());
  const file = join(tmpdir(), `flapi-fuzz-${randomUUID()}.parquet`);
  await writeFile(file, body);
  try {
    const result = await (await parquet).runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    return result.getRowObjectsJson() as Row[];
  } finally {
    await rm(file, { force: true });
  }
}

export async function closeOracle(): Promise<void> {
  if (parquet) (await parquet).closeSync();
  parquet = undefined;
}
