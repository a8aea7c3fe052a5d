/**
 * Serves the API description and the docs page: `/openapi.json`, `/doc.yaml`, `/docs` (and its
 * alias `/doc`) with the page's script and stylesheet under `/docs/`. Everything comes from
 * the package: the page loads nothing from other origins, and its CSP says so.
 */
import type { Context, Middleware, Next } from 'koa';
import type { OpenApiDocument } from '../openapi/index.js';
import { etagMatches, strongEtag } from '../response-cache/etag.js';
import { docsAssets, type StaticAsset } from './docs-assets.js';
import { renderDocsHtml } from './docs-html.js';

export interface DocsRoutesOptions {
  /** The current document; called per request so the server URL can follow the request. */
  document: (ctx: Context) => OpenApiDocument;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

interface Rendered {
  document: OpenApiDocument;
  json: StaticAsset;
  yaml?: StaticAsset;
  html?: StaticAsset;
}

function asset(body: string, type: string): StaticAsset {
  const buffer = Buffer.from(body);
  return { body: buffer, type, etag: strongEtag(buffer) };
}

function send(ctx: Context, file: StaticAsset, cacheControl: string): void {
  ctx.set('ETag', file.etag);
  ctx.set('Cache-Control', cacheControl);
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (etagMatches(ctx.get('If-None-Match'), file.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.type = file.type;
  ctx.body = file.body;
}

/**
 * The server URL a client used to reach us (`ctx.origin` is the Origin header in Koa 3).
 * Honours X-Forwarded-Proto/Host only when the app is configured with `proxy: true`.
 */
export function requestServerUrl(ctx: Context): string {
  return `${ctx.protocol}://${ctx.host}`;
}

export function docsRoutes(options: DocsRoutesOptions): Middleware {
  // Rendering is cached per document object, so an unchanged document costs no JSON.stringify.
  const rendered = new WeakMap<OpenApiDocument, Rendered>();
  const renderedFor = (ctx: Context): Rendered => {
    const document = options.document(ctx);
    let entry = rendered.get(document);
    if (!entry) {
      entry = { document, json: asset(JSON.stringify(document), 'application/json; charset=utf-8') };
      rendered.set(document, entry);
    }
    return entry;
  };

  return async function serveDocs(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    switch (ctx.path) {
      case '/openapi.json':
        return send(ctx, renderedFor(ctx).json, 'no-cache');
      case '/doc.yaml': {
        const entry = renderedFor(ctx);
        // The yaml package loads with the first /doc.yaml request, not with the server.
        entry.yaml ??= asset((await import('../openapi/openapi-yaml.js')).openApiYaml(entry.document), 'application/yaml; charset=utf-8');
        return send(ctx, entry.yaml, 'no-cache');
      }
      case '/docs':
      case '/doc': {
        ctx.set('Content-Security-Policy', CSP);
        ctx.set('Referrer-Policy', 'no-referrer');
        const entry = renderedFor(ctx);
        entry.html ??= asset(renderDocsHtml(docsAssets().get('index.html')!.body.toString('utf8'), entry.document), 'text/html; charset=utf-8');
        return send(ctx, entry.html, 'no-cache');
      }
      case '/docs/':
      case '/doc/':
        ctx.redirect('/docs');
        return;
      default: {
        // The page's scripts and stylesheet; the template itself is only served rendered.
        // Any other path passes by without reading the files (the first request of a cold start).
        if (!ctx.path.startsWith('/docs/')) return next();
        const name = ctx.path.slice('/docs/'.length);
        const file = name !== 'index.html' ? docsAssets().get(name) : undefined;
        return file ? send(ctx, file, 'public, max-age=300') : next();
      }
    }
  };
}
