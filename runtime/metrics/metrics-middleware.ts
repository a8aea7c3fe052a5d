/**
 * Koa middlewares: one that times every request into {@link Metrics}, one that serves the
 * Prometheus text at `/_flapi/metrics`.
 */
import type { Context, Middleware, Next } from 'koa';
import type { Metrics } from './metrics-registry.js';

export interface RequestMetricsOptions {
  /**
   * The endpoint label of a request. Default: `ctx.state.endpoint` (set by the endpoint
   * handler), else the matched router path, else `other` — raw URLs would make one series
   * per distinct path.
   */
  endpointOf?: (ctx: Context) => string | undefined;
}

function defaultEndpoint(ctx: Context): string | undefined {
  const fromState = ctx.state['endpoint'];
  if (typeof fromState === 'string') return fromState;
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : undefined;
}

export function requestMetrics(metrics: Metrics, options: RequestMetricsOptions = {}): Middleware {
  const endpointOf = options.endpointOf ?? defaultEndpoint;
  return async function timeRequest(ctx: Context, next: Next): Promise<void> {
    const start = process.hrtime.bigint();
    let status: number | undefined;
    try {
      await next();
      status = ctx.status;
    } catch (err) {
      // Placed outside the error middleware, a throw here means the request fails.
      const s = (err as { status?: unknown }).status;
      status = typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
      throw err;
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.observeRequest(endpointOf(ctx) ?? 'other', ctx.method, status ?? 500, seconds);
    }
  };
}

export function metricsRoute(metrics: Metrics, path = '/_flapi/metrics'): Middleware {
  return async function serveMetrics(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== path || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/plain; version=0.0.4; charset=utf-8';
    ctx.body = metrics.render();
  };
}
