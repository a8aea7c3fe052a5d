/**
 * The request mixes measured against each server. Paths that must not be answered from
 * flapi's response cache draw fresh parameters per request; the one scenario that is
 * about the response cache repeats a single request.
 */
import { FLIGHT_COUNT } from './flights-table.js';

/**
 * `floor`: bare Koa; `baseline-point` and `peer-point`: the hand-written Koa and Fastify
 * servers' point lookups; `duckdb-floor`: the same work run in-process on DuckDB, no HTTP.
 */
export type ScenarioRole = 'floor' | 'baseline-point' | 'peer-point' | 'distinct-point' | 'repeated' | 'duckdb-floor' | 'other';

/** The DuckDB work of a scenario, run in-process as its floor (bench/harness/floor-queries.ts). */
export type FloorKind = 'point' | 'list' | 'aggregate';

export interface Scenario {
  id: string;
  label: string;
  path: string | (() => string);
  connections: number;
  role: ScenarioRole;
  /** Rows in every response, for exports reported in rows/s. */
  rowsPerRequest?: number;
  /** The Content-Type a response must have; anything else means the feature is not there yet. */
  expectContentType?: string;
  /** The in-process DuckDB job doing this scenario's work (for a `duckdb-floor` scenario: the job it runs). */
  floor?: FloorKind;
}

export const EXPORT_ROWS = 100_000;

/** Busy departure airports of the data set, so that filters return full pages. */
const AIRPORTS = [
  'ORD', 'ATL', 'DFW', 'LAX', 'PHX', 'DEN', 'IAH', 'LAS', 'DTW', 'MSP', 'STL', 'SFO', 'EWR', 'CLT', 'PHL',
  'BOS', 'LGA', 'SEA', 'MCO', 'BWI', 'SLC', 'CVG', 'PIT', 'MIA', 'SAN', 'TPA', 'MDW', 'OAK', 'BNA', 'MCI',
] as const;

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

function dayOf2001(dayIndex: number): string {
  return new Date(Date.UTC(2001, 0, 1 + dayIndex)).toISOString().slice(0, 10);
}

export const randomFlightId = (): number => randomInt(1, FLIGHT_COUNT);

export const randomFlightPath = (): string => `/flights/${randomFlightId()}`;

/** One airport's 100-row page at any offset in its first 20 pages (see listPagePath). */
export const randomListPage = (): { origin: string; limit: number; offset: number } =>
  ({ origin: pick(AIRPORTS), limit: 100, offset: randomInt(0, 2000) });

/** An airport and a range from a random day of the data to a day past its end (see aggregatePath). */
export const randomDelaysRange = (): { iata: string; from: string; to: string } =>
  ({ iata: pick(AIRPORTS), from: dayOf2001(randomInt(0, 150)), to: dayOf2001(randomInt(181, 364)) });

/**
 * A page of one airport's flights at any offset in its first 20 pages: 30 filters ×
 * 2,001 offsets, so that the response cache answers next to none of them (with 630
 * distinct URLs it answered most, and the scenario measured the cache). `total_count` is counted once per airport and
 * data version: the pages of a filter after its first cost only the page query.
 */
export const listPagePath = (): string => {
  const { origin, limit, offset } = randomListPage();
  return `/flights?origin=${origin}&limit=${limit}&offset=${offset}`;
};

/**
 * Delays per day from a random day of the data (January to June 2001). `date_to` lies
 * after the data's last day, so it never changes the rows, only the URL: 30 × 151 × 184
 * distinct requests keep the response cache (and the per-filter count) out of it.
 */
export const aggregatePath = (): string => {
  const { iata, from, to } = randomDelaysRange();
  return `/airports/${iata}/delays?date_from=${from}&date_to=${to}`;
};

/**
 * examples/flights' unpaginated export, first EXPORT_ROWS rows in table order. `max_rows`
 * varies in its last two digits so that every request is computed and streamed rather
 * than replayed by the response cache; rows/s counts EXPORT_ROWS per response (0.1% high
 * at most).
 */
export const exportPath = (format: string) => (): string =>
  `/exports/flights?format=${format}&max_rows=${EXPORT_ROWS - randomInt(0, 99)}`;

/** Connections for cheap requests: enough to keep both cores and the pool busy. */
const SMALL = 32;
/** Concurrent clients of the distinct point lookups, the same for flapi, its peers and the DuckDB floor. */
export const POINT_CLIENTS = 20;
/** Slower queries: more connections would only queue behind the pool and inflate latency. */
const MEDIUM = 8;
/** 100k-row responses, megabytes each. */
const LARGE = 4;

export const helloScenarios: Scenario[] = [
  { id: 'hello', label: '(a) Koa hello world', path: '/', connections: SMALL, role: 'floor' },
];

export const baselineScenarios: Scenario[] = [
  { id: 'point', label: '(b) Koa + DuckDB point lookup, distinct ids', path: randomFlightPath, connections: POINT_CLIENTS, role: 'baseline-point', floor: 'point' },
];

export const fastifyScenarios: Scenario[] = [
  { id: 'point', label: '(b′) Fastify + DuckDB point lookup, distinct ids', path: randomFlightPath, connections: POINT_CLIENTS, role: 'peer-point', floor: 'point' },
];

/**
 * The work of the DuckDB-bound scenarios run in-process (no HTTP) on a pool of the same
 * size, by as many concurrent callers as the scenario has clients. `path` is unused.
 */
export const duckdbFloorScenarios: Scenario[] = [
  { id: 'floor-point', label: 'DuckDB in-process: prepared point lookup, distinct ids', path: '', connections: POINT_CLIENTS, role: 'duckdb-floor', floor: 'point' },
  { id: 'floor-list', label: 'DuckDB in-process: list page query (100 rows)', path: '', connections: MEDIUM, role: 'duckdb-floor', floor: 'list' },
  { id: 'floor-aggregate', label: 'DuckDB in-process: delays per day query', path: '', connections: MEDIUM, role: 'duckdb-floor', floor: 'aggregate' },
];

/** The request-path scenarios on examples/flights, shared by `flapi dev` and a built server. */
export function flightsScenarios(server: string): Scenario[] {
  return [
    { id: 'point', label: `${server}: point lookup, distinct ids`, path: randomFlightPath, connections: POINT_CLIENTS, role: 'distinct-point', floor: 'point' },
    { id: 'repeated', label: `${server}: same request repeated (response cache)`, path: '/flights/1234567', connections: SMALL, role: 'repeated' },
    { id: 'list', label: `${server}: filtered list page (100 rows, distinct params)`, path: listPagePath, connections: MEDIUM, role: 'other', floor: 'list' },
    { id: 'aggregate', label: `${server}: aggregate, delays per day (distinct params)`, path: aggregatePath, connections: MEDIUM, role: 'other', floor: 'aggregate' },
  ];
}

const EXPORT_TYPES: Record<string, string> = {
  json: 'application/json',
  csv: 'text/csv',
  arrow: 'application/vnd.apache.arrow.stream',
};

export function exportScenarios(server: string): Scenario[] {
  return Object.entries(EXPORT_TYPES).map(([format, contentType]) => ({
    id: `export-${format}`,
    label: `${server}: 100k-row export, ${format.toUpperCase()}`,
    path: exportPath(format),
    connections: LARGE,
    role: 'other' as const,
    rowsPerRequest: EXPORT_ROWS,
    expectContentType: contentType,
  }));
}
