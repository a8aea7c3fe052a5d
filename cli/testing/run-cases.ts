import inject from 'light-my-request';
import { expectedStatus, type TestCase, type CaseOutcome } from './test-case.js';
import { diffRows, missingRows, show, type Row } from './compare-rows.js';

/** A request handler in Node's (req, res) shape, e.g. a Koa app's `callback()`. */
export type RequestListener = Parameters<typeof inject>[0];

/** Run cases against an in-process app (no port), at most `concurrency` at a time. */
export async function runCases(listener: RequestListener, cases: TestCase[], concurrency: number): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      outcomes[index] = await runCase(listener, cases[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, cases.length)) }, worker));
  return outcomes;
}

async function runCase(listener: RequestListener, testCase: TestCase): Promise<CaseOutcome> {
  const started = performance.now();
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(testCase.params)) if (value !== undefined && value !== null) query[key] = String(value);
  const headers: Record<string, string> = { accept: 'application/json', ...testCase.headers };
  const hasBody = testCase.body !== undefined;
  if (hasBody) headers['content-type'] ??= 'application/json';
  const response = await inject(listener, {
    method: testCase.method as 'GET',
    url: testCase.endpoint,
    query,
    headers,
    payload: hasBody ? JSON.stringify(testCase.body) : undefined,
  });
  const failures: string[] = [];
  let body: unknown;
  try {
    body = response.payload === '' ? undefined : JSON.parse(response.payload);
  } catch {
    failures.push(`response is not JSON (${response.headers['content-type'] ?? 'no content type'}): ${response.payload.slice(0, 200)}`);
  }
  const expect = testCase.expect;
  const status = expectedStatus(expect);
  if (response.statusCode !== status) {
    failures.push(`status: expected ${status}, got ${response.statusCode} ${show(body)}`);
  }
  const rows = rowsOf(body);
  if (expect.rows) {
    if (!rows) failures.push(`expected rows, got ${show(body)}`);
    else {
      const diff = diffRows(expect.rows, rows);
      if (diff.length > 0) failures.push(`rows differ (${expect.rows.length} expected, ${rows.length} returned):`, ...diff.map((l) => `  ${l}`));
    }
  }
  if (expect.rowsSubset && rows) {
    const missing = missingRows(expect.rowsSubset, rows);
    if (missing.length > 0) failures.push(`${missing.length} expected row(s) missing from ${rows.length} returned:`, ...missing.map((r) => `  - ${show(r)}`));
  }
  if (expect.count !== undefined && rows?.length !== expect.count) {
    failures.push(`count: expected ${expect.count} rows, got ${rows?.length ?? 'none'}`);
  }
  if (expect.errors) {
    const fields = errorFields(body);
    const absent = expect.errors.filter((f) => !fields.includes(f));
    if (absent.length > 0) failures.push(`errors: expected fields ${absent.join(', ')} among [${fields.join(', ')}]`);
  }
  const ms = performance.now() - started;
  return failures.length === 0 ? { case: testCase, status: 'passed', ms } : { case: testCase, status: 'failed', ms, failures, actualStatus: response.statusCode, actualRows: rows };
}

/** Rows of a read: the array itself, or `data` of a paginated envelope. */
function rowsOf(body: unknown): Row[] | undefined {
  if (Array.isArray(body)) return body as Row[];
  if (body && typeof body === 'object' && Array.isArray((body as { data?: unknown }).data)) return (body as { data: Row[] }).data;
  if (body && typeof body === 'object' && !('errors' in body) && !('error' in body)) return [body as Row];
  return undefined;
}

function errorFields(body: unknown): string[] {
  const errors = (body as { errors?: Array<{ field?: unknown }> } | undefined)?.errors;
  return Array.isArray(errors) ? errors.map((e) => String(e.field)) : [];
}
