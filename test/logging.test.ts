import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp, createJsonLogger, logQuery, parseLogLevel, queryLogSettings, type FlapiApp, type LogFields, type Logger } from '../runtime/index.js';
import { devLogger } from '../cli/dev/dev-logger.js';
import { endpoint, manifest } from './serve-fixture.js';

interface Line {
  level: string;
  message: string;
  fields: LogFields;
}

function recorder(): { lines: Line[]; logger: Logger } {
  const lines: Line[] = [];
  const at = (level: string) => (message: string, fields: LogFields = {}) => void lines.push({ level, message, fields });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** A pino destination that keeps the JSON lines written to it. */
function sink(): { lines: () => Record<string, unknown>[]; destination: { write(line: string): void } } {
  const text: string[] = [];
  return {
    lines: () => text.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    destination: { write: (line: string) => void text.push(line) },
  };
}

describe('log levels', () => {
  it('reads debug, info, warn, warning (= warn) and error in any case; empty is info', () => {
    assert.equal(parseLogLevel('debug'), 'debug');
    assert.equal(parseLogLevel('WARNING'), 'warn');
    assert.equal(parseLogLevel(' Error '), 'error');
    assert.equal(parseLogLevel(undefined), 'info');
    assert.equal(parseLogLevel(''), 'info');
  });

  it('refuses an unknown level, naming where it came from and the allowed names', () => {
    assert.throws(() => parseLogLevel('verbose'), /FLAPI_LOG_LEVEL: unknown log level "verbose"; use one of debug, info, warn, warning, error/);
    assert.throws(() => devLogger({ level: 'trace' }), /--log-level: unknown log level "trace"/);
    assert.throws(() => devLogger({ env: { FLAPI_LOG_LEVEL: 'loud' } }), /FLAPI_LOG_LEVEL: unknown log level "loud"/);
  });

  it('writes JSON lines at or above the level, with credentials masked', () => {
    const out = sink();
    const logger = createJsonLogger('warn', out.destination);
    logger.info('not shown');
    logger.warn('connect failed for postgres://app:hunter2@db/x', { token: 'abc', n: 3 });
    const lines = out.lines();
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!['level'], 'warn');
    assert.match(String(lines[0]!['time']), /^\d{4}-\d\d-\d\dT/);
    assert.equal(lines[0]!['message'], 'connect failed for postgres://app:[redacted]@db/x');
    assert.equal(lines[0]!['token'], '[redacted]');
    assert.equal(lines[0]!['n'], 3);
  });

  it('flapi dev on a terminal prints readable coloured lines, not JSON', () => {
    let text = '';
    const logger = devLogger({ level: 'debug', pretty: true, write: (t) => void (text += t) });
    logger.info('GET /flights 200 1.2ms rows=3 cache=miss', { method: 'GET', path: '/flights', status: 200, ms: 1.2, rows: 3, cache: 'miss', request_id: 'r1' });
    logger.debug('detail');
    assert.match(text, /\u001b\[\d+m/, 'coloured');
    assert.match(text, /INFO.*GET \/flights 200 1\.2ms rows=3 cache=miss.*"request_id":"r1"/);
    assert.doesNotMatch(text, /"status"/, 'the access fields the message spells out are not repeated');
    assert.match(text, /DEBUG.*detail/);
    assert.throws(() => JSON.parse(text.split('\n')[0]!));
  });

  it('flapi dev --log-level refuses an unknown level before serving anything', () => {
    const run = spawnSync(process.execPath, ['bin/flapi.js', 'dev', 'examples/flights', '--log-level', 'chatty', '--no-watch'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /flapi dev: --log-level: unknown log level "chatty"; use one of debug, info, warn, warning, error/);
  });
});

describe('access log', () => {
  const log = recorder();
  let app: FlapiApp;
  let server: Server;
  let base = '';

  before(async () => {
    const m = manifest([endpoint({ urlPath: '/flights', sql: 'SELECT id, origin FROM flights ORDER BY id LIMIT 3' })]);
    app = await createApp({ ...m, server: { ...m.server, responseCacheBytes: 1 << 20 } }, { logger: log.logger });
    // Koa alone: the path below Koa that answers cache hits logs through logAccess itself.
    server = createServer(app.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.close();
  });

  const accessLines = () => log.lines.filter((l) => l.fields['status'] !== undefined && l.fields['method'] !== undefined);

  async function settle(count: number): Promise<void> {
    for (let i = 0; i < 50 && accessLines().length < count; i++) await new Promise((r) => setTimeout(r, 10));
  }

  it('logs method, path (no query), status, time, cache miss then hit, and the request id', async () => {
    const first = await fetch(`${base}/flights?origin=JFK`, { headers: { 'x-request-id': 'req-one' } });
    await first.text();
    const second = await fetch(`${base}/flights?origin=JFK`);
    await second.text();
    await settle(2);
    const [miss, hit] = accessLines();
    assert.ok(miss && hit, JSON.stringify(log.lines));
    assert.equal(miss.level, 'info');
    assert.deepEqual({ ...miss.fields, ms: 0 }, { method: 'GET', path: '/flights', status: 200, ms: 0, rows: 3, cache: 'miss', request_id: 'req-one' });
    assert.equal(typeof miss.fields['ms'], 'number');
    assert.match(miss.message, /^GET \/flights 200 [\d.]+ms rows=3 cache=miss$/);
    assert.equal(hit.fields['cache'], 'hit');
    assert.equal(hit.fields['request_id'], second.headers.get('x-request-id'));
  });

  it('logs error answers with their final status', async () => {
    log.lines.length = 0;
    await (await fetch(`${base}/nowhere`)).text();
    await settle(1);
    const [line] = accessLines();
    assert.equal(line?.fields['status'], 404);
    // No endpoint answered, so the response cache was never asked: no hit, no miss.
    assert.equal(line?.fields['cache'], undefined);
  });
});

describe('query log', () => {
  const entry = { endpoint: 'flights', sql: "SELECT * FROM t WHERE k = 'password=hunter2' AND id = $1", values: [42n, 'Bearer abc.def.ghi', 'JFK'], ms: 1.5, rows: 2 };

  it('is silent unless the connection asks', () => {
    const log = recorder();
    logQuery(log.logger, { logQueries: false, logParameters: false }, entry);
    assert.equal(log.lines.length, 0);
  });

  it('log-queries: the rendered SQL, redacted, with time and rows but no values', () => {
    const log = recorder();
    logQuery(log.logger, { logQueries: true, logParameters: false }, { ...entry, request_id: 'r9' });
    assert.equal(log.lines.length, 1);
    const [line] = log.lines;
    assert.equal(line!.level, 'info');
    assert.equal(line!.message, 'query flights (1.5ms, 2 rows)');
    const sql = String(line!.fields['sql']);
    assert.match(sql, /^SELECT \* FROM t WHERE k = 'password=\[redacted\]/);
    assert.doesNotMatch(sql, /hunter2/);
    assert.equal(line!.fields['request_id'], 'r9');
    assert.equal(line!.fields['rows'], 2);
    assert.equal('values' in line!.fields, false);
  });

  it('log-parameters: the bound values, redacted, bigints as digits', () => {
    const log = recorder();
    logQuery(log.logger, { logQueries: true, logParameters: true }, entry);
    assert.deepEqual(log.lines[0]!.fields['values'], ['42', 'Bearer [redacted]', 'JFK']);
  });

  it('takes its settings from the endpoint connections', () => {
    const m = manifest([]);
    const conns = { ...m.connections, audit: { name: 'audit', properties: {}, logQueries: true, logParameters: false } };
    assert.deepEqual(queryLogSettings({ connections: conns }, { connection: ['main'] }), { logQueries: false, logParameters: false });
    assert.deepEqual(queryLogSettings({ connections: conns }, { connection: ['main', 'audit'] }), { logQueries: true, logParameters: false });
  });
});
