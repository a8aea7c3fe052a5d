/**
 * A Lambda HTTP event as the HTTP request it stands for: method, URL (path and query
 * string), headers, body bytes and client address. The app then handles it exactly as
 * it handles a request on a socket.
 */
import type { ApiGatewayV1Event, ApiGatewayV2Event, LambdaContext, LambdaHttpEvent } from './lambda-events.js';
import { isV2Event } from './lambda-events.js';

export interface EventRequest {
  method: string;
  /** Path and query string, e.g. `/flights?origin=ORD`. */
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  remoteAddress: string | undefined;
}

/** Keeps characters a URL path may hold and escapes the rest (spaces, quotes, non-ASCII). */
function safePath(path: string): string {
  const escaped = path.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (ch) => encodeURIComponent(ch));
  return escaped.startsWith('/') ? escaped : `/${escaped}`;
}

function bodyOf(body: string | null | undefined, base64: boolean | undefined): Buffer | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  return Buffer.from(body, base64 ? 'base64' : 'utf8');
}

/** A named stage's segment leads `rawPath`; routes are defined without it. */
function stripStage(path: string, stage: string | undefined): string {
  if (stage === undefined || stage === '' || stage === '$default') return path;
  const prefix = `/${stage}`;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

function v2Request(event: ApiGatewayV2Event): EventRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  if (event.cookies && event.cookies.length > 0) headers['cookie'] = event.cookies.join('; ');
  if (headers['host'] === undefined && event.requestContext.domainName) headers['host'] = event.requestContext.domainName;
  const path = safePath(stripStage(event.rawPath, event.requestContext.stage));
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    url: path + query,
    headers,
    body: bodyOf(event.body, event.isBase64Encoded),
    remoteAddress: event.requestContext.http.sourceIp,
  };
}

function v1Headers(event: ApiGatewayV1Event): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined && value !== null) headers[name.toLowerCase()] = value;
  // The multi-value form, when present, holds every occurrence; it wins over the last-one-only map.
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values && values.length > 0) headers[name.toLowerCase()] = values.join(name.toLowerCase() === 'cookie' ? '; ' : ', ');
  }
  return headers;
}

/** REST API events carry the query decoded; it is encoded again for the app to parse. */
function v1Query(event: ApiGatewayV1Event): string {
  const query = new URLSearchParams();
  if (event.multiValueQueryStringParameters) {
    for (const [name, values] of Object.entries(event.multiValueQueryStringParameters)) for (const v of values ?? []) query.append(name, v);
  } else {
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query.append(name, value);
  }
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

function v1Request(event: ApiGatewayV1Event): EventRequest {
  return {
    method: event.httpMethod.toUpperCase(),
    url: safePath(event.path) + v1Query(event),
    headers: v1Headers(event),
    body: bodyOf(event.body, event.isBase64Encoded),
    remoteAddress: event.requestContext?.identity?.sourceIp ?? undefined,
  };
}

export function eventRequest(event: LambdaHttpEvent, context?: LambdaContext): EventRequest {
  const request = isV2Event(event) ? v2Request(event) : v1Request(event);
  // Lambda's request id threads through the app's logs unless the client sent its own.
  const id = context?.awsRequestId ?? event.requestContext?.requestId;
  if (request.headers['x-request-id'] === undefined && id) request.headers['x-request-id'] = id;
  return request;
}
