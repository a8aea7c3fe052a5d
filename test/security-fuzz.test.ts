/**
 * Fuzzes the HTTP surface of a real `flapi dev` child process serving
 * test/fixtures/fuzz-shop with fast-check: random and hostile paths, methods, query
 * pairs, headers, credentials, bodies, content types, Accept headers and formats, sent as
 * raw bytes. Every answer must be a non-5xx (503 aside) with JSON errors that name no
 * file or SQL, hold only rows of the caller and tenant asked for, and the process must
 * keep running and answering its health check.
 *
 * Each run sends a batch of one to four requests at once. `npm test` runs a fixed seed
 * (FLAPI_FUZZ_RUNS runs, default 200, about 500 requests); `npm run fuzz` runs 5000 with a
 * random seed, printed so a failure can be replayed with FLAPI_FUZZ_SEED.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { sendRaw, type WireResponse } from './support/fuzz-client.js';
import { checkResponse, closeOracle } from './support/fuzz-oracle.js';
import { CALLERS, fuzzRequest, type FuzzRequest, type Tokens } from './support/fuzz-requests.js';
import { startFuzzServer, type FuzzServer } from './support/fuzz-server.js';
import { signToken, unsignedToken } from './support/jwt-tokens.js';

const PROJECT = fileURLToPath(new URL('./fixtures/fuzz-shop', import.meta.url));
const SECRET = 'fuzz-shop-secret-0123456789abcdef0123456789';
const RUNS = Number(process.env.FLAPI_FUZZ_RUNS ?? 200);
const SEED = process.env.FLAPI_FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FLAPI_FUZZ_SEED ?? 20261203);

describe('HTTP fuzz against a real server', { timeout: Math.max(120_000, RUNS * 200) }, () => {
  let server: FuzzServer;
  let tokens: Tokens;

  before(async () => {
    server = await startFuzzServer(PROJECT, { FUZZ_JWT_SECRET: SECRET });
    const key = new TextEncoder().encode(SECRET);
    const valid = {} as Record<(typeof CALLERS)[number], string>;
    for (const caller of CALLERS) valid[caller] = await signToken(key, {}, { subject: caller, expiresIn: 3600 });
    tokens = {
      valid,
      foreign: await signToken(new TextEncoder().encode(`${SECRET}-not`), {}, { subject: 'alice', expiresIn: 3600 }),
      unsigned: unsignedToken({ sub: 'alice' }),
    };
  });
  after(async () => {
    await server?.stop();
    await closeOracle();
  });

  async function send(request: FuzzRequest): Promise<WireResponse | undefined> {
    return sendRaw(new URL(server.url), request);
  }

  it('serves each caller only their own rows before fuzzing (the oracle sees rows)', async () => {
    const alice = await send({ method: 'GET', target: '/orders?limit=50', headers: [['Authorization', `Bearer ${tokens.valid.alice}`], ['tenant', 't2']], owners: ['alice'], tenants: ['t2'] });
    assert.equal(alice?.status, 200);
    const rows = (JSON.parse(alice.body.toString()) as { data: { owner: string; tenant: string }[] }).data;
    assert.ok(rows.length > 5 && rows.every((r) => r.owner === 'alice' && r.tenant === 't2'));
    // The oracle catches rows answered to the wrong caller or tenant.
    assert.match((await checkResponse({ method: 'GET', target: '/orders', headers: [], owners: ['bob'], tenants: ['t2'] }, alice)).problem!, /owner alice/);
    assert.match((await checkResponse({ method: 'GET', target: '/orders', headers: [], owners: ['alice'], tenants: ['t1'] }, alice)).problem!, /tenant t2/);
  });

  it('answers a method no route implements with 405 (or 404 off any route), never 501', async () => {
    const auth: [string, string][] = [['Authorization', `Bearer ${tokens.valid.alice}`], ['tenant', 't1']];
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'PURGE']) {
      const onRoute = await send({ method, target: '/orders', headers: auth, owners: ['alice'] });
      assert.equal(onRoute?.status, 405, `${method} /orders`);
      assert.equal(onRoute.headers['allow'], 'HEAD, GET');
      assert.deepEqual(JSON.parse(onRoute.body.toString()), { error: 'Method Not Allowed' });
      const offRoute = await send({ method, target: '/nothing', headers: auth, owners: ['alice'] });
      assert.equal(offRoute?.status, 404, `${method} /nothing`);
      assert.equal(offRoute.headers['allow'], undefined);
    }
  });

  it(`answers ${RUNS} batches of hostile requests (seed ${SEED}) without a 5xx, a leak or a crash`, async () => {
    const started = Date.now();
    let crashedBy: string | undefined;
    const statuses: Record<string, number> = {};
    let rowsChecked = 0;
    let sent = 0;
    // Up to four requests at once, so callers race each other through the response cache.
    const property = fc.asyncProperty(fc.array(fuzzRequest(tokens), { minLength: 1, maxLength: 4 }), async (batch) => {
      if (server.exited()) {
        // Shrinking against a dead server proves nothing: report what killed it.
        throw new Error(`server ${server.exited()} after one of:\n${crashedBy ?? 'an earlier request'}`);
      }
      const verdicts = await Promise.all(
        batch.map(async (request) => {
          const response = await send(request);
          statuses[response?.status ?? 'closed'] = (statuses[response?.status ?? 'closed'] ?? 0) + 1;
          return { request, ...(await checkResponse(request, response)) };
        }),
      );
      sent += batch.length;
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (server.exited()) {
        crashedBy ??= batch.map(describeRequest).join('\n');
        throw new Error(`server ${server.exited()}:\n${server.tail()}`);
      }
      for (const { request, problem, rows } of verdicts) {
        rowsChecked += rows;
        if (problem) throw new Error(`${problem}\nrequest: ${describeRequest(request)}`);
      }
    });
    const result = await fc.check(property, { seed: SEED, numRuns: RUNS });
    if (result.failed) {
      const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      assert.fail(`after ${result.numRuns} runs (seed ${SEED}, path ${result.counterexamplePath}, shrunk ${result.numShrinks} times):\n${error}`);
    }
    process.stdout.write(`# fuzz: ${RUNS} runs, ${sent} requests, seed ${SEED}, ${Date.now() - started} ms, statuses ${JSON.stringify(statuses)}, ${rowsChecked} rows checked\n`);
    // A run where nothing got through would check nothing.
    assert.ok((statuses['200'] ?? 0) >= sent / 20 && rowsChecked >= sent / 2, `too few answers with rows: ${JSON.stringify(statuses)}, ${rowsChecked} rows`);
  });

  it('keeps answering its health check and real requests after the run', async () => {
    assert.equal(server.exited(), undefined, server.tail());
    const health = await fetch(`${server.url}/_flapi/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const bob = await fetch(`${server.url}/orders/1`, { headers: { Authorization: `Bearer ${tokens.valid.bob}` } });
    assert.equal(bob.status, 200);
    assert.deepEqual(((await bob.json()) as { owner: string }[]).map((r) => r.owner), ['bob']);
  });
});

function describeRequest(request: FuzzRequest): string {
  const cut = (s: string): string => (s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
  return JSON.stringify({
    method: request.method,
    target: cut(request.target),
    headers: request.headers.filter(([n]) => !n.startsWith('X-Junk-')).map(([n, v]) => [n, cut(v)]),
    junkHeaders: request.headers.filter(([n]) => n.startsWith('X-Junk-')).length,
    body: request.body === undefined ? undefined : cut(request.body.toString('latin1')),
    chunked: request.chunked,
    owners: request.owners,
    tenants: request.tenants,
  });
}
