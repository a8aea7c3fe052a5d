/**
 * The shapes of the events AWS Lambda receives from API Gateway and Function URLs, and
 * of the results it expects back. Only the fields the adapter reads are declared, so a
 * project needs no `@types/aws-lambda`; the full events are assignable to these.
 */

/** API Gateway REST API (payload format 1.0; HTTP APIs can be set to send it too). */
export interface ApiGatewayV1Event {
  version?: string;
  httpMethod: string;
  /** The resource path without the stage, e.g. `/flights/42`. */
  path: string;
  resource?: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: {
    stage?: string;
    requestId?: string;
    identity?: { sourceIp?: string | null } | null;
  } | null;
}

/** API Gateway HTTP API (payload format 2.0) and Lambda Function URLs. */
export interface ApiGatewayV2Event {
  version: '2.0';
  routeKey?: string;
  /** Includes the stage name for a stage other than `$default`, e.g. `/prod/flights/42`. */
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  /** Lower-case names; repeated headers arrive joined with commas. */
  headers?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: {
    stage?: string;
    domainName?: string;
    requestId?: string;
    http: { method: string; path?: string; sourceIp?: string };
  };
}

export type LambdaHttpEvent = ApiGatewayV1Event | ApiGatewayV2Event;

/** The parts of Lambda's context object the adapter uses. */
export interface LambdaContext {
  awsRequestId?: string;
}

export interface ApiGatewayV1Result {
  statusCode: number;
  headers: Record<string, string>;
  /** Headers that occur more than once (e.g. `Set-Cookie`). */
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

export interface ApiGatewayV2Result {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

export type LambdaHttpResult<E extends LambdaHttpEvent = LambdaHttpEvent> = E extends ApiGatewayV2Event
  ? ApiGatewayV2Result
  : ApiGatewayV1Result;

export function isV2Event(event: LambdaHttpEvent): event is ApiGatewayV2Event {
  return (event as ApiGatewayV2Event).version === '2.0' && typeof (event as ApiGatewayV2Event).rawPath === 'string';
}
