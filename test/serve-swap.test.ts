import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp, serveApp, silentLogger, type FlapiApp } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

/** An app whose `/slow` answers after `ms`, and which records when it was closed. */
async function appAnswering(label: string, ms: number, events: string[]): Promise<FlapiApp> {
  const flapi = await createApp(manifest([endpoint({ urlPath: '/which', sql: `SELECT '${label}' AS v` })]), { logger: silentLogger });
  flapi.app.use(async (ctx, next) => {
    if (ctx.path !== '/slow') return next();
    await new Promise((r) => setTimeout(r, ms));
    events.push(`${label} answered slow`);
    ctx.body = { v: label };
  });
  const close = flapi.close;
  flapi.close = async () => {
    events.push(`${label} closed`);
    await close();
  };
  return flapi;
}

describe('serveApp', () => {
  it('swaps apps on the same port and closes the old one after its in-flight requests', async () => {
    const events: string[] = [];
    const server = await serveApp(await appAnswering('one', 300, events), { port: 0, host: '127.0.0.1' });
    try {
      assert.deepEqual(await (await fetch(`${server.url}/which`)).json(), [{ v: 'one' }]);
      const slow = fetch(`${server.url}/slow`).then((r) => r.json());
      await new Promise((r) => setTimeout(r, 50));
      const swapped = server.swap(await appAnswering('two', 0, events));
      assert.deepEqual(await (await fetch(`${server.url}/which`)).json(), [{ v: 'two' }]);
      assert.deepEqual(await slow, { v: 'one' });
      await swapped;
      assert.deepEqual(events, ['one answered slow', 'one closed']);
    } finally {
      await server.close();
    }
    assert.deepEqual(events.at(-1), 'two closed');
  });

  it('lets in-flight requests finish on close and then refuses connections', async () => {
    const events: string[] = [];
    const server = await serveApp(await appAnswering('one', 200, events), { port: 0, host: '127.0.0.1' });
    const slow = fetch(`${server.url}/slow`).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    assert.deepEqual(await slow, { v: 'one' });
    assert.deepEqual(events, ['one answered slow', 'one closed']);
    await assert.rejects(fetch(`${server.url}/which`));
  });
});
