/**
 * Finds the endpoint a request is for, with the same router the app dispatches with, so
 * the security checks and the handler can never disagree about which endpoint runs. Paths
 * reach it canonical (canonical-path.ts).
 */
import { Router } from '@koa/router';
import type { EndpointSpec } from '../manifest.js';
import { ROUTER_OPTIONS, routePath } from './canonical-path.js';

export interface EndpointMatcher {
  match(method: string, path: string): EndpointSpec | undefined;
}

export function createEndpointMatcher(endpoints: readonly EndpointSpec[]): EndpointMatcher {
  const router = new Router(ROUTER_OPTIONS);
  const byName = new Map<string, EndpointSpec>();
  endpoints.forEach((endpoint, index) => {
    if (endpoint.urlPath === undefined) return;
    const name = `e${index}`;
    byName.set(name, endpoint);
    router.register(routePath(endpoint.urlPath), [endpoint.method], () => {}, { name });
  });
  return {
    match(method, path) {
      const found = router.match(path, method);
      if (!found.route) return undefined;
      // The router runs matched layers in registration order; the first one answers.
      for (const layer of found.pathAndMethod) {
        const endpoint = layer.name === undefined ? undefined : byName.get(layer.name);
        if (endpoint !== undefined) return endpoint;
      }
      return undefined;
    },
  };
}
