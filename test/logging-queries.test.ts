/**
 * `log-queries` / `log-parameters` on a connection: every request to its endpoints logs the
 * SQL it ran (and the bound values), with its time and rows; off, nothing is logged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type HttpServerHandle, type LogFields, type Logger } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

function recording(): { lines: { message: string; fields: LogFields }[]; logger: Logger } {
  const lines: { message: string; fields: LogFields }[] = [];
  const push = (message: string, fields?: LogFields) => void lines.push({ message, fields: fields ?? {} });
  return { lines, logger: { debug: push, info: push, warn: push, error: push } };
}

describe('query log', () => {
  const m = manifest([
    endpoint({
      urlPath: '/by-origin',
      sql: "SELECT id FROM flights WHERE origin = '{{{params.origin}}}' ORDER BY id LIMIT 2",
      params: [{ name: 'origin', in: 'query', required: true, validators: [] }],
    }),
  ]);
  m.connections['main']!.logQueries = true;
  m.connections['main']!.logParameters = true;
  const log = recording();
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0, logger: log.logger });
  });
  after(async () => {
    await server.close();
  });

  it('logs the SQL, the bound values, the time and the rows of each request', async () => {
    const res = await fetch(`${server.url}/by-origin?origin=LAX`, { headers: { 'x-request-id': 'q-1' } });
    assert.equal(res.status, 200);
    await res.text();
    const line = log.lines.find((l) => l.message.startsWith('query _by_origin'));
    assert.ok(line, JSON.stringify(log.lines.map((l) => l.message)));
    assert.match(String(line.fields['sql']), /WHERE origin = \$1/);
    assert.deepEqual(line.fields['values'], ['LAX']);
    assert.equal(line.fields['rows'], 2);
    assert.equal(typeof line.fields['ms'], 'number');
    assert.equal(line.fields['request_id'], 'q-1');
  });

  it('logs nothing for connections that do not ask', async () => {
    const quiet = manifest([endpoint({ urlPath: '/all', sql: 'SELECT 1 AS one' })]);
    const own = recording();
    const s = await startServer(quiet, { port: 0, logger: own.logger });
    try {
      await (await fetch(`${s.url}/all`)).text();
      assert.equal(own.lines.filter((l) => l.message.startsWith('query ')).length, 0);
    } finally {
      await s.close();
    }
  });
});
