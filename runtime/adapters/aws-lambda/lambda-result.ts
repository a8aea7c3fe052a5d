/**
 * The app's response as the result Lambda hands back to API Gateway or the Function URL:
 * text bodies as they are, binary ones (Arrow, Parquet) base64-encoded; repeated headers
 * in the form each payload version expects.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { ApiGatewayV1Result, ApiGatewayV2Result } from './lambda-events.js';

export interface AppResponse {
  statusCode: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

const TEXT_TYPE = /^\s*(text\/|application\/(json|x-ndjson|ndjson|javascript|xml|yaml|x-yaml)\b|[^;]*\+(json|xml)\b)/i;

/** Text unless the type says otherwise or the bytes are compressed. */
export function isTextResponse(headers: OutgoingHttpHeaders): boolean {
  const type = headers['content-type'];
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && String(encoding).toLowerCase() !== 'identity') return false;
  return type === undefined || TEXT_TYPE.test(String(type));
}

function headerValues(value: OutgoingHttpHeaders[string]): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function encodedBody(response: AppResponse): { body: string; isBase64Encoded: boolean } {
  if (response.body.length === 0) return { body: '', isBase64Encoded: false };
  return isTextResponse(response.headers)
    ? { body: response.body.toString('utf8'), isBase64Encoded: false }
    : { body: response.body.toString('base64'), isBase64Encoded: true };
}

export function v1Result(response: AppResponse): ApiGatewayV1Result {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    const values = headerValues(value);
    if (values.length === 1) headers[name] = values[0]!;
    else if (values.length > 1) multiValueHeaders[name] = values;
  }
  const result: ApiGatewayV1Result = { statusCode: response.statusCode, headers, ...encodedBody(response) };
  if (Object.keys(multiValueHeaders).length > 0) result.multiValueHeaders = multiValueHeaders;
  return result;
}

export function v2Result(response: AppResponse): ApiGatewayV2Result {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(response.headers)) {
    const values = headerValues(value);
    if (values.length === 0) continue;
    // Payload 2.0 has no multi-value headers; cookies travel apart, anything else is comma-joined.
    if (name === 'set-cookie') cookies = values;
    else headers[name] = values.join(', ');
  }
  const result: ApiGatewayV2Result = { statusCode: response.statusCode, headers, ...encodedBody(response) };
  if (cookies !== undefined) result.cookies = cookies;
  return result;
}

/** Size of the result as Lambda counts it against its response payload limit. */
export function resultBytes(result: ApiGatewayV1Result | ApiGatewayV2Result): number {
  return Buffer.byteLength(JSON.stringify(result));
}
