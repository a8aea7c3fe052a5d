/**
 * What a client may ask of the server: `limits:` (body size, request timeout, rows per
 * response, page size, header size and time, query parameters), `trust-proxy`, and TLS
 * (flAPI's `https:` block, or certificate keys on `enforce-https:`). flAPI has no keys for
 * most limits, so they live in one block of their own rather than among flAPI's keys.
 */
import { isAbsolute, resolve } from 'node:path';
import type { HttpLimits, ServerSettings } from '../../runtime/manifest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { asBoolean, asMap, asNumber, asString, byteSize, durationSeconds, type YamlMap } from './yaml-values.js';
import type { YamlDocument } from './yaml-document.js';

function positive(value: number | undefined, doc: YamlDocument, key: string, diagnostics: Diagnostic[]): number | undefined {
  if (value === undefined) return undefined;
  if (Number.isFinite(value) && value >= 0) return value;
  diagnostics.push({ severity: 'error', ...doc.locate(['limits', key]), code: 'limits', message: `limits.${key} must be a positive amount` });
  return undefined;
}

export function normaliseLimits(data: YamlMap, root: string, doc: YamlDocument, server: ServerSettings, diagnostics: Diagnostic[]): void {
  const limits = asMap(data.limits);
  const size = (key: string) => positive(byteSize(limits[key]), doc, key, diagnostics);
  const millis = (key: string) => {
    const seconds = positive(durationSeconds(limits[key]), doc, key, diagnostics);
    return seconds === undefined ? undefined : Math.round(seconds * 1000);
  };
  const count = (key: string) => positive(asNumber(limits[key]), doc, key, diagnostics);

  server.bodyLimit = size('max-body-size') ?? server.bodyLimit;
  server.requestTimeoutMs = millis('request-timeout') ?? server.requestTimeoutMs;
  server.maxLimit = count('max-limit') ?? server.maxLimit;
  server.defaultLimit = count('default-limit') ?? server.defaultLimit;
  const maxRows = count('max-rows');
  if (maxRows !== undefined) server.maxRows = maxRows;
  const poolQueue = count('pool-queue');
  if (poolQueue !== undefined) server.poolQueue = poolQueue;
  const poolWait = millis('pool-wait');
  if (poolWait !== undefined) server.poolWaitMs = poolWait;
  const shutdown = millis('shutdown-timeout');
  if (shutdown !== undefined) server.shutdownTimeoutMs = shutdown;
  const http: Partial<HttpLimits> = {};
  const headersTimeout = millis('headers-timeout');
  if (headersTimeout !== undefined) http.headersTimeoutMs = headersTimeout;
  const receiveTimeout = millis('receive-timeout');
  if (receiveTimeout !== undefined) http.requestReceiveTimeoutMs = receiveTimeout;
  const headerSize = size('max-header-size');
  if (headerSize !== undefined) http.maxHeaderBytes = headerSize;
  const headers = count('max-headers');
  if (headers !== undefined) http.maxHeadersCount = headers;
  const params = count('max-query-params');
  if (params !== undefined) http.maxQueryParams = params;
  const streamIdle = millis('stream-idle-timeout');
  if (streamIdle !== undefined) http.streamIdleMs = streamIdle;
  if (Object.keys(http).length > 0) server.httpLimits = http;

  if (data['trust-proxy'] !== undefined) server.trustProxy = asBoolean(data['trust-proxy'], false);

  const https = asMap(data.https);
  const enforce = asMap(data['enforce-https']);
  const pick = (key: string) => asString(https[key] ?? https[key.replace(/-/g, '_')] ?? enforce[key] ?? enforce[key.replace(/-/g, '_')]);
  const cert = pick('ssl-cert-file');
  const key = pick('ssl-key-file');
  const httpsOn = data.https === undefined ? cert !== undefined : asBoolean(https.enabled, true);
  if (httpsOn && cert !== undefined && key !== undefined) {
    const path = (file: string) => (isAbsolute(file) ? file : resolve(root, file));
    server.tls = { certFile: path(cert), keyFile: path(key) };
  } else if (httpsOn && (cert !== undefined || key !== undefined || data.https !== undefined)) {
    diagnostics.push({ severity: 'error', ...doc.locate([data.https !== undefined ? 'https' : 'enforce-https']), code: 'https',
      message: 'HTTPS needs both `ssl-cert-file` and `ssl-key-file` (PEM files, relative to flapi.yaml)' });
  }
}
