/**
 * An AWS Lambda handler for a flapi app. The app (and with it the DuckDB instance and
 * its connection pool, or the downloaded artifact) is created once per container, during
 * Lambda's init phase, and every warm invocation reuses it; an artifact is checked for a
 * new version at most once per poll interval (artifact-refresh.ts). Each event is handed to the app's request listener
 * as an in-memory HTTP request, so validation, binding and serialisation are exactly
 * those of a server on a socket.
 */
import inject from 'light-my-request';
import type { RequestListener } from 'node:http';
import type { FlapiApp } from '../../app/create-app.js';
import { eventRequest } from './event-request.js';
import type { LambdaContext, LambdaHttpEvent, LambdaHttpResult } from './lambda-events.js';
import { isV2Event } from './lambda-events.js';
import { resultBytes, v1Result, v2Result, type AppResponse } from './lambda-result.js';
import { LambdaArtifactRefresh, type Env } from './artifact-refresh.js';

/** Lambda's limit for a synchronous response payload. */
export const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

export interface LambdaHandlerOptions {
  /** Start creating the app now (the init phase) rather than on the first event (default true). */
  eager?: boolean;
  /** Largest result returned; a bigger one becomes a 500 explaining the limit. */
  maxResultBytes?: number;
  /** Environment for artifact settings (poll interval); default process.env. */
  env?: Env;
}

export type LambdaHandler = <E extends LambdaHttpEvent>(event: E, context?: LambdaContext) => Promise<LambdaHttpResult<E>>;

interface Ready {
  app: FlapiApp;
  listener: RequestListener;
  secureListener: RequestListener;
  /** Invocations being answered by this app; a replaced app closes when it reaches 0. */
  active: number;
  retired: boolean;
}

/**
 * API Gateway and Function URLs end TLS in front of the function and say so in
 * `X-Forwarded-Proto`. Marking the in-memory socket as encrypted lets the app see the
 * request as the client made it (`https` in generated links, HTTPS-only settings met)
 * without trusting forwarded headers in general.
 */
function overTls(listener: RequestListener): RequestListener {
  return (req, res) => {
    (req.socket as { encrypted?: boolean }).encrypted = true;
    listener(req, res);
  };
}

function readyFor(app: FlapiApp): Ready {
  const listener = app.app.callback();
  return { app, listener, secureListener: overTls(listener), active: 0, retired: false };
}

function retire(old: Ready): void {
  old.retired = true;
  if (old.active === 0) void old.app.close().catch(() => undefined);
}

async function dispatch(ready: Ready, event: LambdaHttpEvent, context: LambdaContext | undefined): Promise<AppResponse> {
  const request = eventRequest(event, context);
  const https = request.headers['x-forwarded-proto']?.split(',')[0]?.trim().toLowerCase() === 'https';
  const response = await inject(https ? ready.secureListener : ready.listener, {
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    ...(request.body !== undefined ? { payload: request.body } : {}),
    // An event without a source address (ALB, some test events) must not look local:
    // the injector would otherwise report 127.0.0.1 and open the loopback-only admin routes.
    remoteAddress: request.remoteAddress === undefined || request.remoteAddress === '' ? UNKNOWN_ADDRESS : request.remoteAddress,
  });
  return { statusCode: response.statusCode, headers: response.headers, body: response.rawPayload };
}

/** What the app sees as the client address when the event names none; never loopback. */
const UNKNOWN_ADDRESS = 'unknown';

function tooLarge(bytes: number, limit: number, requestId: string | undefined): AppResponse {
  const body = {
    error: `the response (${bytes} bytes) exceeds the ${limit}-byte AWS Lambda payload limit; ask for a smaller page with ?limit=, or serve bulk exports from a container`,
    ...(requestId ? { request_id: requestId } : {}),
  };
  return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

/**
 * `create` is called once per container; if it fails, the next invocation tries again
 * (a Lambda container that could not start its app must not answer from a broken one).
 */
export function createLambdaHandler(create: () => Promise<FlapiApp>, options: LambdaHandlerOptions = {}): LambdaHandler {
  const limit = options.maxResultBytes ?? LAMBDA_RESPONSE_LIMIT;
  let ready: Promise<Ready> | undefined;
  let refresh: LambdaArtifactRefresh | undefined;
  const start = (): Promise<Ready> => {
    ready ??= create().then(
      (app) => {
        refresh = LambdaArtifactRefresh.for(app, options.env ?? process.env);
        return readyFor(app);
      },
      (err: unknown) => {
        ready = undefined;
        throw err;
      },
    );
    return ready;
  };
  // An eager start that fails is retried by the first event; its rejection must not crash the container.
  if (options.eager !== false) start().catch(() => undefined);

  return async function handler<E extends LambdaHttpEvent>(event: E, context?: LambdaContext): Promise<LambdaHttpResult<E>> {
    let app = await start();
    // A served artifact is looked at again at most once per poll interval (nothing runs between invocations).
    const next = await refresh?.ifDue();
    if (next !== undefined) {
      const old = app;
      app = readyFor(next);
      ready = Promise.resolve(app);
      retire(old);
    }
    app.active++;
    let response: AppResponse;
    try {
      response = await dispatch(app, event, context);
    } finally {
      app.active--;
      if (app.retired && app.active === 0) void app.app.close().catch(() => undefined);
    }
    const toResult = (r: AppResponse) => (isV2Event(event) ? v2Result(r) : v1Result(r));
    let result = toResult(response);
    const bytes = resultBytes(result);
    if (bytes > limit) {
      const requestId = response.headers['x-request-id'];
      app.app.logger.warn('response exceeds the Lambda payload limit', { bytes, limit, request_id: requestId });
      result = toResult(tooLarge(bytes, limit, requestId === undefined ? undefined : String(requestId)));
    }
    return result as LambdaHttpResult<E>;
  };
}
