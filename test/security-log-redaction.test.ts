/**
 * Finding 4: log redaction runs in time linear in its input and logs at most a bounded
 * length of any value, so a huge hostile parameter that DuckDB refuses (and quotes in its
 * error) costs milliseconds, gets a 400 naming the parameter, and never stalls the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJsonLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { MAX_LOGGED_CHARS, maskCredentials, redactFields, redactText } from '../runtime/security/log-redaction.js';
import { endpoint, manifest } from './serve-fixture.js';

const SIZE = 200_000;

/** Inputs that make a backtracking pattern scan the rest of the text from every position. */
const HOSTILE: Record<string, string> = {
  'a.a.a…': 'a.'.repeat(SIZE / 2),
  'scheme-like runs': 'ab+c.d-'.repeat(SIZE / 7),
  'a://a://…': 'a://'.repeat(SIZE / 4),
  'user info without @': `x://${'a'.repeat(SIZE)}`,
  'eyJ-eyJ-…': 'eyJ-'.repeat(SIZE / 4),
  "password='…": "password='".repeat(SIZE / 10),
  'Bearer and spaces': `Bearer${' '.repeat(SIZE)}!`,
};

function elapsed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

describe('log redaction', () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`masks ${SIZE / 1000} KB of ${name} in linear time`, () => {
      const ms = elapsed(() => maskCredentials(text));
      assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
    });
  }

  it('cuts every logged string to a bounded length', () => {
    const out = redactText('a.'.repeat(SIZE / 2));
    assert.ok(out.length < MAX_LOGGED_CHARS + 64, String(out.length));
    assert.match(out, /more characters\]$/);
    const fields = redactFields({ detail: 'x'.repeat(SIZE), nested: { list: ['y'.repeat(SIZE)] } }) as { detail: string; nested: { list: string[] } };
    assert.ok(fields.detail.length < MAX_LOGGED_CHARS + 64);
    assert.ok(fields.nested.list[0]!.length < MAX_LOGGED_CHARS + 64);
  });

  it('still masks what it masked before', () => {
    const out = redactText('postgres://u:pw-123@db/x Bearer abc.def password="p w" token: zz eyJhbGciOi.eyJzdWIiOi.sig');
    for (const secret of ['pw-123', 'abc.def', 'p w', 'zz', 'eyJhbGciOi']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
  });
});

describe('a huge value refused by DuckDB', () => {
  let server: HttpServerHandle;
  const lines: string[] = [];
  before(async () => {
    const m = manifest([
      endpoint({
        urlPath: '/lookup',
        method: 'POST',
        sql: 'SELECT id FROM flights WHERE id = {{params.id}}',
        params: [{ name: 'id', in: 'body', required: true, validators: [] }],
      }),
    ]);
    m.server.bodyLimit = 4 * SIZE;
    // The real logger, so redaction runs on what it writes; its lines land here instead of stderr.
    const destination = { write: (chunk: string) => void lines.push(chunk) };
    server = await startServer(m, { port: 0, logger: createJsonLogger('info', destination) });
  });
  after(async () => {
    await server.close();
  });

  it('answers 400 naming the parameter at once, and health keeps answering', async () => {
    const started = performance.now();
    const body = JSON.stringify({ id: 'a.'.repeat(SIZE / 2) });
    const [refused, health] = await Promise.all([
      fetch(`${server.url}/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      fetch(`${server.url}/_flapi/health`),
    ]);
    const ms = performance.now() - started;
    assert.equal(refused.status, 400);
    const json = (await refused.json()) as { errors: { field: string; message: string }[] };
    assert.equal(json.errors[0]?.field, 'id');
    assert.equal(health.status, 200);
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
    const after = performance.now();
    assert.equal((await fetch(`${server.url}/_flapi/health`)).status, 200);
    assert.ok(performance.now() - after < 500);
    const logged = lines.find((l) => l.includes('value conversion refused'));
    assert.ok(logged, 'the refusal is logged');
    assert.ok(logged.length < 4 * MAX_LOGGED_CHARS, `log line of ${logged.length} characters`);
    assert.equal((JSON.parse(logged) as { field?: string }).field, 'id');
  });

  it('a valid value still answers', async () => {
    const ok = await fetch(`${server.url}/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"3"}' });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), [{ id: 3 }]);
  });
});
