/**
 * An endpoint's `response-cache:` block: whether its answers are stored, how long a stored
 * answer lives (`ttl`), and a written `Cache-Control` (runtime/response-cache/cache-control.ts).
 */
import type { ResponseCacheSpec } from '../../runtime/manifest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { asBoolean, asMap, asString, durationSeconds } from './yaml-values.js';
import type { YamlDocument } from './yaml-document.js';

export function normaliseResponseCache(value: unknown, doc: YamlDocument, isRead: boolean, diagnostics: Diagnostic[]): ResponseCacheSpec | undefined {
  if (value === undefined) return undefined;
  const map = asMap(value);
  const at = (key?: string) => doc.locate(key === undefined ? ['response-cache'] : ['response-cache', key]);
  if (!isRead) {
    diagnostics.push({ severity: 'warning', ...at(), code: 'response-cache',
      message: '`response-cache` has no effect on a write endpoint (writes are never cached); remove it' });
  }
  const spec: ResponseCacheSpec = { enabled: asBoolean(map.enabled, true) };
  if (map.ttl !== undefined) {
    const seconds = durationSeconds(map.ttl);
    if (seconds === undefined || !(seconds > 0)) {
      diagnostics.push({ severity: 'error', ...at('ttl'), code: 'response-cache',
        message: `response-cache.ttl must be a positive duration (seconds, or 30s, 5m, 1h), not \`${String(map.ttl)}\`` });
    } else {
      spec.ttlMs = Math.round(seconds * 1000);
    }
  }
  const control = asString(map['cache-control']);
  if (control !== undefined) {
    if (control.trim() === '' || /[\r\n]/.test(control)) {
      diagnostics.push({ severity: 'error', ...at('cache-control'), code: 'response-cache',
        message: 'response-cache.cache-control must be a header value on one line, e.g. `public, max-age=60`' });
    } else {
      spec.cacheControl = control.trim();
    }
  }
  return spec;
}
