/**
 * `/openapi.json`, `/doc.yaml` and the `/docs` page. The document depends on the manifest
 * and on the URL the client used, so it is built once per distinct server URL.
 */
import type { Middleware } from 'koa';
import { docsRoutes, requestServerUrl } from '../docs/index.js';
import type { Manifest } from '../manifest.js';
import { buildOpenApi, type OpenApiDocument } from '../openapi/index.js';

/** Distinct Host headers are few in practice; the bound keeps a hostile client from growing it. */
const MAX_DOCUMENTS = 16;

export function openApiRoutes(manifest: Manifest): Middleware {
  const documents = new Map<string, OpenApiDocument>();
  return docsRoutes({
    document: (ctx) => {
      const url = requestServerUrl(ctx);
      let document = documents.get(url);
      if (document === undefined) {
        document = buildOpenApi(manifest, url);
        if (documents.size >= MAX_DOCUMENTS) documents.clear();
        documents.set(url, document);
      }
      return document;
    },
  });
}
