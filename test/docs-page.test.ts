import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { parse } from 'yaml';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { docsRoutes, requestServerUrl } from '../runtime/docs/index.js';
import { buildOpenApi, type OpenApiDocument } from '../runtime/openapi/index.js';
import { rowObjectsFromResult } from '../runtime/serialize/index.js';
import { sampleManifest } from './openapi-sample-manifest.js';

const CHROMIUM = '/usr/bin/chromium';
const manifest = sampleManifest();

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let server: Server;
let base: string;
let built = 0;

before(async () => {
  instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  conn = await instance.connect();
  const documents = new Map<string, OpenApiDocument>();
  const app = new Koa();
  app.use(
    docsRoutes({
      document: (ctx) => {
        const origin = requestServerUrl(ctx);
        let document = documents.get(origin);
        if (!document) {
          built++;
          document = buildOpenApi(manifest, origin);
          documents.set(origin, document);
        }
        return document;
      },
    }),
  );
  // One real endpoint behind the page's "try it" form.
  app.use(async (ctx, next) => {
    const match = /^\/flights\/([^/]+)$/.exec(ctx.path);
    if (!match || ctx.method !== 'GET') return next();
    const prepared = await conn.prepare(`SELECT TRY_CAST($1 AS BIGINT) AS id, 12.50::DECIMAL(10,2) AS fare, [{'from': 'SFO', 'stops': [1, 2]}] AS legs`);
    prepared.bind([decodeURIComponent(match[1]!)]);
    ctx.body = await rowObjectsFromResult(await prepared.run());
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  conn.closeSync();
  instance.closeSync();
});

describe('docs routes over HTTP', () => {
  it('serves openapi.json with the request origin and an ETag', async () => {
    const response = await fetch(`${base}/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const doc = (await response.json()) as OpenApiDocument;
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.servers, [{ url: base }]);
    const etag = response.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${base}/openapi.json`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(built, 1, 'the document is built once per origin');
  });

  it('serves /doc.yaml as the same document', async () => {
    const response = await fetch(`${base}/doc.yaml`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /yaml/);
    const fromJson = await (await fetch(`${base}/openapi.json`)).json();
    assert.deepEqual(parse(await response.text()), fromJson);
  });

  it('serves the page at /docs and /doc with a strict CSP, and its assets', async () => {
    for (const path of ['/docs', '/doc']) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
      const html = await response.text();
      assert.doesNotMatch(html, /https?:\/\//, 'no absolute URLs: nothing from a CDN');
    }
    const js = await fetch(`${base}/docs/docs.js`);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.doesNotMatch(await js.text(), /https?:\/\//);
    const css = await fetch(`${base}/docs/docs.css`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal((await fetch(`${base}/docs/missing.js`)).status, 404);
    assert.equal((await fetch(`${base}/docs/`, { redirect: 'manual' })).status, 302);
  });
});

describe('docs page in headless Chromium', { skip: existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)` }, () => {
  it('lists every endpoint and runs a request from the try-it form', { timeout: 60_000 }, async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const foreign: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(base)) foreign.push(request.url());
      });
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`${base}/docs`);
      await page.waitForSelector('details.endpoint');
      const listed = await page.$$eval('details.endpoint', (cards) =>
        cards.map((card) => `${card.getAttribute('data-method')} ${card.getAttribute('data-path')}`),
      );
      const expected = manifest.endpoints
        .filter((e) => e.urlPath)
        .map((e) => `${e.method} ${e.urlPath!.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`);
      assert.deepEqual([...listed].sort(), [...expected].sort());
      assert.equal(await page.textContent('#status'), `${expected.length} endpoints`);
      assert.equal(await page.textContent('#title'), 'flights');

      const card = page.locator('details.endpoint[data-path="/flights/{id}"]');
      await card.locator('summary').click();
      assert.match((await card.locator('table').first().textContent()) ?? '', /integer \(≥ 1\)/);
      assert.match((await card.textContent()) ?? '', /DECIMAL\(10,2\)/);
      await card.locator('input[name="id"]').fill('42');
      await card.locator('button[type="submit"]').click();
      await card.locator('pre.response').waitFor();
      const body = JSON.parse((await card.locator('pre.response').textContent()) ?? '') as unknown;
      assert.deepEqual(body, [{ id: 42, fare: '12.50', legs: [{ from: 'SFO', stops: [1, 2] }] }]);
      assert.match((await card.locator('.result .line').first().textContent()) ?? '', /^200 OK/);

      await page.locator('details.endpoint[data-path="/flights"] summary').click();
      await page.screenshot({ path: '/tmp/flapi-docs.png', fullPage: false });
      await page.fill('#filter', 'review');
      const visible = await page.$$eval('details.endpoint', (cards) => cards.filter((c) => !(c as unknown as { hidden: boolean }).hidden).length);
      assert.equal(visible, 2);
      assert.deepEqual(foreign, [], 'the page loads nothing from other origins');
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});
