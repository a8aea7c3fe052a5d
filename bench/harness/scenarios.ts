/**
 * The request mixes measured against each server. Paths that must not be answered from
 * flapi's response cache draw fresh parameters per request; the one scenario that is
 * about the response cache repeats a single request.
 */
import { FLIGHT_COUNT } from './flights-table.js';

export type ScenarioRole = 'floor' | 'baseline-point' | 'distinct-point' | 'repeated' | 'other';

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

export const randomFlightPath = (): string => `/flights/${randomInt(1, FLIGHT_COUNT)}`;

/**
 * A page of one airport's flights at any offset in its first 20 pages: 30 filters ×
 * 2,001 offsets, so that the response cache answers next to none of them (with 630
 * distinct URLs it answered most, and the scenario measured the cache). `total_count` is counted once per airport and
 * data version: the pages of a filter after its first cost only the page query.
 */
export const listPagePath = (): string => `/flights?origin=${pick(AIRPORTS)}&limit=100&offset=${randomInt(0, 2000)}`;

/**
 * Delays per day from a random day of the data (January to June 2001). `date_to` lies
 * after the data's last day, so it never changes the rows, only the URL: 30 × 151 × 184
 * distinct requests keep the response cache (and the per-filter count) out of it.
 */
export const aggregatePath = (): string =>
  `/airports/${pick(AIRPORTS)}/delays?date_from=${dayOf2001(randomInt(0, 150))}&date_to=${dayOf2001(randomInt(181, 364))}`;

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
/** Slower queries: more connections would only queue behind the pool and inflate latency. */
const MEDIUM = 8;
/** 100k-row responses, megabytes each. */
const LARGE = 4;

export const helloScenarios: Scenario[] = [
  { id: 'hello', label: '(a) Koa hello world', path: '/', connections: SMALL, role: 'floor' },
];

export const baselineScenarios: Scenario[] = [
  { id: 'point', label: '(b) Koa + DuckDB point lookup, distinct ids', path: randomFlightPath, connections: SMALL, role: 'baseline-point' },
];

/** The request-path scenarios on examples/flights, shared by `flapi dev` and a built server. */
export function flightsScenarios(server: string): Scenario[] {
  return [
    { id: 'point', label: `${server}: point lookup, distinct ids`, path: randomFlightPath, connections: SMALL, role: 'distinct-point' },
    { id: 'repeated', label: `${server}: same request repeated (response cache)`, path: '/flights/1234567', connections: SMALL, role: 'repeated' },
    { id: 'list', label: `${server}: filtered list page (100 rows, distinct params)`, path: listPagePath, connections: MEDIUM, role: 'other' },
    { id: 'aggregate', label: `${server}: aggregate, delays per day (distinct params)`, path: aggregatePath, connections: MEDIUM, role: 'other' },
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
