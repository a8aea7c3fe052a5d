/**
 * API Gateway and Function URL events shaped as AWS sends them (every field of the
 * documented samples, not just the ones the adapter reads), built per request.
 */
import type { ApiGatewayV1Event, ApiGatewayV2Event } from '../../runtime/adapters/aws-lambda/index.js';

export interface EventInput {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  base64?: boolean;
  stage?: string;
}

function queryString(query: EventInput['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  return params.toString();
}

/** HTTP API, payload format 2.0 (a named stage puts its name in front of rawPath). */
export function v2Event(input: EventInput): ApiGatewayV2Event {
  const stage = input.stage ?? '$default';
  const rawPath = stage === '$default' ? input.path : `/${stage}${input.path}`;
  const headers: Record<string, string> = {
    accept: '*/*',
    'content-length': String(input.body ? Buffer.byteLength(input.body, input.base64 ? 'base64' : 'utf8') : 0),
    host: 'r3pmxmplak.execute-api.us-east-2.amazonaws.com',
    'user-agent': 'curl/8.5.0',
    'x-amzn-trace-id': 'Root=1-5e6722a7-cc56xmpl46db7ae02d4da47e',
    'x-forwarded-for': '205.255.255.176',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
  const event = {
    version: '2.0' as const,
    routeKey: '$default',
    rawPath,
    rawQueryString: queryString(input.query),
    headers,
    queryStringParameters: Object.fromEntries(Object.entries(input.query ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
    requestContext: {
      accountId: '123456789012',
      apiId: 'r3pmxmplak',
      domainName: 'r3pmxmplak.execute-api.us-east-2.amazonaws.com',
      domainPrefix: 'r3pmxmplak',
      http: { method: input.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '205.255.255.176', userAgent: 'curl/8.5.0' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage,
      time: '10/Mar/2020:05:16:23 +0000',
      timeEpoch: 1583817383220,
    },
    isBase64Encoded: input.base64 ?? false,
    ...(input.body !== undefined ? { body: input.body } : {}),
  };
  return event;
}

/** A Lambda Function URL: payload 2.0 on a `lambda-url` domain, always the `$default` stage. */
export function functionUrlEvent(input: EventInput): ApiGatewayV2Event {
  const event = v2Event({ ...input, stage: '$default' });
  const domain = 'abcdefg.lambda-url.us-east-1.on.aws';
  event.headers = { ...event.headers, host: domain };
  event.requestContext = { ...event.requestContext, domainName: domain, stage: '$default' };
  return { ...event, routeKey: '$default' };
}

/** REST API, payload format 1.0: the path has no stage, queries and headers arrive decoded. */
export function v1Event(input: EventInput): ApiGatewayV1Event {
  const single: Record<string, string> = {
    Accept: '*/*',
    Host: '70ixmpl4fl.execute-api.us-east-2.amazonaws.com',
    'User-Agent': 'curl/8.5.0',
    'X-Amzn-Trace-Id': 'Root=1-5e66d96f-7491f09xmpl79d18acf3d050',
    'X-Forwarded-For': '52.255.255.12',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
    ...input.headers,
  };
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(input.query ?? {})) multiQuery[k] = Array.isArray(v) ? v : [v];
  const hasQuery = Object.keys(multiQuery).length > 0;
  return {
    resource: '/{proxy+}',
    path: input.path,
    httpMethod: input.method,
    headers: single,
    multiValueHeaders: Object.fromEntries(Object.entries(single).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v[v.length - 1]])) : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: { proxy: input.path.slice(1) },
    requestContext: {
      resourceId: '2gxmpl',
      resourcePath: '/{proxy+}',
      httpMethod: input.method,
      extendedRequestId: 'JJbxmplHYosFVYQ=',
      requestTime: '10/Mar/2020:00:03:59 +0000',
      path: `/${input.stage ?? 'Prod'}${input.path}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: input.stage ?? 'Prod',
      domainPrefix: '70ixmpl4fl',
      requestTimeEpoch: 1583798639428,
      requestId: '77375676-xmpl-4b79-853a-f982474efe18',
      identity: { sourceIp: '52.255.255.12', userAgent: 'curl/8.5.0' },
      domainName: '70ixmpl4fl.execute-api.us-east-2.amazonaws.com',
      apiId: '70ixmpl4fl',
    } as ApiGatewayV1Event['requestContext'],
    body: input.body ?? null,
    isBase64Encoded: input.base64 ?? false,
  };
}
