/**
 * The docs page's files, read from the package once and kept in memory with their ETags.
 *
 * They live beside the sources in `runtime/docs/assets/`; a compiled runtime (`dist/`) finds
 * them there too, so no build step has to copy them. The bundled runtime a built server
 * vendors reads them from `docs/assets/` beside its `bundle/` folder.
 */
import { strongEtag } from '../response-cache/etag.js';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface StaticAsset {
  body: Buffer;
  type: string;
  etag: string;
}

const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'docs.js': 'text/javascript; charset=utf-8',
  'docs-dom.js': 'text/javascript; charset=utf-8',
  'docs-tables.js': 'text/javascript; charset=utf-8',
  'docs-auth.js': 'text/javascript; charset=utf-8',
  'docs-try.js': 'text/javascript; charset=utf-8',
  'docs.css': 'text/css; charset=utf-8',
};

function assetsDir(): string {
  const candidates = [
    new URL('./assets/', import.meta.url),
    new URL('../docs/assets/', import.meta.url),
    new URL('../../../runtime/docs/assets/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  throw new Error('flapi docs assets are missing from the package (runtime/docs/assets)');
}

let loaded: Map<string, StaticAsset> | undefined;

export function docsAssets(): ReadonlyMap<string, StaticAsset> {
  if (!loaded) {
    const dir = assetsDir();
    loaded = new Map();
    for (const [name, type] of Object.entries(FILES)) {
      const body = readFileSync(`${dir}${name}`);
      loaded.set(name, { body, type, etag: strongEtag(body) });
    }
  }
  return loaded;
}
