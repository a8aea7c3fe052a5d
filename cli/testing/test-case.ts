/** One endpoint test case as written in a `*.test.yaml` file, normalised. */
export interface TestCase {
  name: string;
  /** Test file relative to the project root, and the case's line in it. */
  file: string;
  line: number;
  method: string;
  /** Request path, e.g. `/flights/1`. */
  endpoint: string;
  params: Record<string, unknown>;
  headers: Record<string, string>;
  body?: unknown;
  expect: Expectation;
}

export interface Expectation {
  status?: number;
  /** Rows equal to the response rows, in order. */
  rows?: Record<string, unknown>[];
  /** Rows that must all appear in the response, in any order. */
  rowsSubset?: Record<string, unknown>[];
  /** The number of rows returned (the page, not total_count). */
  count?: number;
  /** Fields named in a 400 response's `errors`. */
  errors?: string[];
}

/** Tables that replace the project's sources for a test file. */
export interface Fixture {
  table: string;
  /** Absolute path of a CSV, Parquet or JSON file. */
  file?: string;
  rows?: Record<string, unknown>[];
}

export interface TestFile {
  /** Absolute path. */
  path: string;
  /** Relative to the project root. */
  file: string;
  cases: TestCase[];
  fixtures: Fixture[];
  /** Run the connections' `init` SQL even though fixtures are given. */
  runInit: boolean;
}

export type CaseOutcome =
  | { case: TestCase; status: 'passed'; ms: number }
  | { case: TestCase; status: 'failed'; ms: number; failures: string[]; actualStatus?: number; actualRows?: Record<string, unknown>[] };

/** The status a case expects: as written, else 400 when it names `errors`, else 200. */
export function expectedStatus(expect: Expectation): number {
  return expect.status ?? (expect.errors ? 400 : 200);
}
