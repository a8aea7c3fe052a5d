/**
 * A built project's types were generated from one manifest. If `manifest.json` is later
 * replaced by one compiled from different configs, the server would still answer, but
 * the types a client was compiled against would lie. So the generated entry points hand
 * the routes they were generated for to `verifyRoutes`, which refuses to start on any
 * difference in names, methods, paths, parameters or paging.
 */
import type { HttpMethod, Manifest, ParamLocation } from '../manifest.js';

/** What generated code knows about one endpoint (`src/endpoints/<name>.ts` exports it as `route`). */
export interface RouteDescriptor {
  readonly name: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pagination: boolean;
  readonly params: readonly { readonly name: string; readonly in: ParamLocation; readonly required: boolean }[];
}

function describeParams(params: RouteDescriptor['params']): string {
  return params.map((p) => `${p.name}:${p.in}${p.required ? '!' : ''}`).join(',');
}

/** Differences between the manifest's HTTP endpoints and `routes`, one message each. */
export function routeDifferences(manifest: Manifest, routes: readonly RouteDescriptor[]): string[] {
  const problems: string[] = [];
  const served = manifest.endpoints.filter((e) => e.urlPath !== undefined);
  const byName = new Map(served.map((e) => [e.name, e]));
  for (const route of routes) {
    const endpoint = byName.get(route.name);
    if (endpoint === undefined) {
      problems.push(`${route.name}: generated, but not in the manifest`);
      continue;
    }
    byName.delete(route.name);
    if (endpoint.method !== route.method || endpoint.urlPath !== route.path) {
      problems.push(`${route.name}: generated for ${route.method} ${route.path}, the manifest has ${endpoint.method} ${endpoint.urlPath}`);
    }
    const paged = endpoint.pagination && endpoint.operation.type === 'read';
    if (paged !== route.pagination) problems.push(`${route.name}: pagination differs`);
    const expected = describeParams(route.params);
    const actual = describeParams(endpoint.params.map((p) => ({ name: p.name, in: p.in, required: p.required })));
    if (expected !== actual) problems.push(`${route.name}: parameters differ (generated ${expected || 'none'}, manifest ${actual || 'none'})`);
  }
  for (const name of byName.keys()) problems.push(`${name}: in the manifest, but no types were generated for it`);
  return problems;
}

export function verifyRoutes(manifest: Manifest, routes: readonly RouteDescriptor[]): void {
  const problems = routeDifferences(manifest, routes);
  if (problems.length > 0) {
    throw new Error(`the manifest does not match the generated code; rebuild with \`flapi build\`:\n  ${problems.join('\n  ')}`);
  }
}
