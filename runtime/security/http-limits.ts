/**
 * Limits the HTTP listener enforces before any request reaches the app: how long a
 * client may take to send its headers (a slow-loris client trickling header bytes is
 * cut off) and its whole request, how large and how many headers may be, and how many
 * query parameters the security middleware accepts. Node answers violations itself
 * (408, 431, 400) and closes the connection; other clients are unaffected.
 */
import type { HttpLimits, ServerSettings } from '../manifest.js';

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestReceiveTimeoutMs: 30_000,
  maxHeaderBytes: 16 * 1024,
  maxHeadersCount: 100,
  maxQueryParams: 1000,
  streamIdleMs: 30_000,
});

export function httpLimits(server: Pick<ServerSettings, 'httpLimits'>): HttpLimits {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...server.httpLimits };
  // Node requires the whole-request timeout to be at least the headers timeout.
  if (limits.requestReceiveTimeoutMs > 0 && limits.requestReceiveTimeoutMs < limits.headersTimeoutMs) {
    limits.requestReceiveTimeoutMs = limits.headersTimeoutMs;
  }
  return limits;
}

/** How often Node checks connections against those timeouts: finer for short ones. */
export function checkingIntervalMs(limits: HttpLimits): number {
  return Math.max(100, Math.min(5000, Math.floor(limits.headersTimeoutMs / 4)));
}
