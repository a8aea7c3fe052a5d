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
// Two more schemes for the Authorize box: basic and an API key in a header of the project's choosing.
const template = manifest.endpoints[0]!;
manifest.endpoints.push(
  { ...template, name: 'get_stations', urlPath: '/stations', description: 'Weather stations.', pagination: false, params: [], columns: [], auth: { enabled: true, type: 'basic', users: [] } },
  { ...template, name: 'get_gates', urlPath: '/gates', description: 'Gates.', pagination: false, params: [], columns: [], auth: { enabled: true, type: 'api-key', apiKey: { header: 'X-Gate-Key', keys: [] } } },
);

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
  // Endpoints that say which credentials reached them, for the Authorize box.
  app.use(async (ctx, next) => {
    if (!['/reviews', '/stations', '/gates'].includes(ctx.path)) return next();
    let body = '';
    for await (const chunk of ctx.req) body += String(chunk);
    ctx.body = { method: ctx.method, authorization: ctx.get('authorization') || null, gate_key: ctx.get('x-gate-key') || null, body: body || null };
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
      assert.doesNotMatch(html, /(?:src|href)="(?:https?:)?\/\//, 'no absolute URLs: nothing from a CDN');
    }
    for (const script of ['docs.js', 'docs-dom.js', 'docs-tables.js', 'docs-auth.js', 'docs-try.js']) {
      const js = await fetch(`${base}/docs/${script}`);
      assert.equal(js.status, 200, script);
      assert.match(js.headers.get('content-type') ?? '', /javascript/);
      assert.doesNotMatch(await js.text(), /https?:\/\//);
    }
    assert.equal((await fetch(`${base}/docs/index.html`)).status, 404, 'the template is served only rendered');
    const css = await fetch(`${base}/docs/docs.css`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal((await fetch(`${base}/docs/missing.js`)).status, 404);
    assert.equal((await fetch(`${base}/docs/`, { redirect: 'manual' })).status, 302);
  });
});

const expectedCards = manifest.endpoints.filter((e) => e.urlPath).map((e) => `${e.method} ${e.urlPath!.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`);

describe('docs page before its script runs', () => {
  it('has the endpoint list, parameters and title in the HTML itself, escaped', async () => {
    const html = await (await fetch(`${base}/docs`)).text();
    assert.doesNotMatch(html, /Loading/);
    assert.match(html, /<h1 id="title">flights<\/h1>/);
    assert.match(html, /<title>flights · docs<\/title>/);
    assert.match(html, new RegExp(`<p id="status" class="muted">${expectedCards.length} endpoints</p>`));
    const cards = [...html.matchAll(/<details class="endpoint" data-path="([^"]+)" data-method="([A-Z]+)">/g)].map((m) => `${m[2]} ${m[1]}`);
    assert.deepEqual(cards.sort(), [...expectedCards].sort());
    assert.match(html, /<code>origin<\/code><\/td><td>query<\/td><td class="mono">string<\/td><td>IATA code of the origin airport\.<\/td>/);
    assert.match(html, /Flights, newest first\.\nFilter by origin and date\./);
  });
});

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('docs page in headless Chromium', { skip: existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)` }, () => {
  let browser: import('playwright-core').Browser;
  before(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });

  /** A page that records requests to other origins and script errors. */
  async function openDocs(options: { javaScriptEnabled?: boolean } = {}) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 }, ...options });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
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
    return { page, context, foreign, problems };
  }

  const listedCards = (page: import('playwright-core').Page) =>
    page.$$eval('details.endpoint', (cards) => cards.map((card) => `${card.getAttribute('data-method')} ${card.getAttribute('data-path')}`));

  it('shows every endpoint with JavaScript off', { timeout: 60_000 }, async () => {
    const { page, context } = await openDocs({ javaScriptEnabled: false });
    try {
      assert.deepEqual((await listedCards(page)).sort(), [...expectedCards].sort());
      assert.equal(await page.textContent('#status'), `${expectedCards.length} endpoints`);
      const card = page.locator('details.endpoint[data-path="/flights"]');
      await card.locator('summary').click();
      assert.ok(await card.locator('table').isVisible(), 'a card opens and shows its parameters without the script');
    } finally {
      await context.close();
    }
  });

  it('lists every endpoint, its responses, and runs a request with its URL and curl line', { timeout: 60_000 }, async () => {
    const { page, context, foreign, problems } = await openDocs();
    try {
      await page.waitForSelector('body[data-ready]');
      assert.deepEqual((await listedCards(page)).sort(), [...expectedCards].sort());
      assert.equal(await page.textContent('#status'), `${expectedCards.length} endpoints`);
      assert.equal(await page.textContent('#title'), 'flights');

      const card = page.locator('details.endpoint[data-path="/flights/{id}"]');
      await card.locator('summary').click();
      assert.match((await card.locator('table').first().textContent()) ?? '', /integer \(≥ 1\)/);
      assert.match((await card.textContent()) ?? '', /DECIMAL\(10,2\)/);
      const responses = card.locator('table.responses');
      assert.match((await responses.locator('tr[data-status="400"]').textContent()) ?? '', /ValidationErrors \{ errors: FieldError \{ field: string, message: string \}\[\] \}/);
      assert.match((await responses.locator('tr[data-status="500"]').textContent()) ?? '', /Error \{ error: string, request_id\?: string \}/);
      await card.locator('input[name="id"]').fill('42');
      await card.locator('button[type="submit"]').click();
      await card.locator('pre.response').waitFor();
      const body = JSON.parse((await card.locator('pre.response').textContent()) ?? '') as unknown;
      assert.deepEqual(body, [{ id: 42, fare: '12.50', legs: [{ from: 'SFO', stops: [1, 2] }] }]);
      assert.match((await card.locator('.result .line').first().textContent()) ?? '', /^200 OK/);
      assert.equal(await card.locator('pre.request-url').textContent(), `GET ${base}/flights/42?format=json`);
      assert.equal(await card.locator('pre.curl').textContent(), `curl '${base}/flights/42?format=json'`);

      await page.locator('details.endpoint[data-path="/flights"] summary').click();
      await page.screenshot({ path: '/tmp/flapi-docs.png', fullPage: false });
      await page.fill('#filter', 'review');
      const visible = await page.$$eval('details.endpoint', (cards) => cards.filter((c) => !(c as unknown as { hidden: boolean }).hidden).length);
      assert.equal(visible, 2);
      assert.deepEqual(foreign, [], 'the page loads nothing from other origins');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('sends the credentials of the Authorize box to the endpoints that need them, and shows them in curl', { timeout: 60_000 }, async () => {
    const { page, context, problems } = await openDocs();
    try {
      await page.waitForSelector('body[data-ready]');
      const auth = page.locator('#auth');
      assert.ok(await auth.isVisible());
      await auth.locator('input[name="token"]').fill('tok-123');
      await auth.locator('input[name="username"]').fill('ann');
      await auth.locator('input[name="password"]').fill('pä:ss');
      await auth.locator('input[name="api-key"]').fill('gate-key-1');

      const send = async (path: string) => {
        const card = page.locator(`details.endpoint[data-path="${path}"]`);
        await card.evaluate((details) => void ((details as unknown as { open: boolean }).open = true));
        await card.locator('button[type="submit"]').click();
        await card.locator('pre.response').waitFor();
        return { card, echo: JSON.parse((await card.locator('pre.response').textContent()) ?? '') as Record<string, unknown> };
      };

      const reviews = page.locator('details.endpoint[data-path="/reviews"]');
      await reviews.locator('summary').click();
      assert.match((await reviews.locator('tr[data-status="401"]').textContent()) ?? '', /Missing or invalid credentials\.Error \{ error: string, request_id\?: string \}/);
      await reviews.locator('textarea').fill('{"email":"a@b.c","stars":5}');
      const posted = await send('/reviews');
      assert.deepEqual(posted.echo, { method: 'POST', authorization: 'Bearer tok-123', gate_key: null, body: '{"email":"a@b.c","stars":5}' });
      const curl = (await posted.card.locator('pre.curl').textContent()) ?? '';
      assert.equal(curl, `curl -X POST '${base}/reviews' -H 'Authorization: Bearer tok-123' -H 'Content-Type: application/json' --data-raw '{"email":"a@b.c","stars":5}'`);
      await posted.card.locator('button.copy').click();
      assert.equal(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()), curl);

      const basic = await send('/stations');
      assert.equal(basic.echo['authorization'], `Basic ${Buffer.from('ann:pä:ss').toString('base64')}`);
      const keyed = await send('/gates');
      assert.deepEqual([keyed.echo['authorization'], keyed.echo['gate_key']], [null, 'gate-key-1']);
      assert.match((await keyed.card.locator('pre.curl').textContent()) ?? '', / -H 'X-Gate-Key: gate-key-1'$/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
