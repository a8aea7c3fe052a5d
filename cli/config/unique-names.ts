import type { CompiledEndpoint } from './normalise-endpoint.js';

/**
 * flAPI lets an MCP tool and a REST endpoint share a name (`get_customers`): a tool is
 * named by its author, a route only by flapi (`get_` + path). Names must stay unique
 * here (cache admin routes, generated code), so a route-derived name that clashes gives
 * way with a `_route` suffix; names the author wrote are never changed.
 */
export function separateRouteNames(endpoints: readonly CompiledEndpoint[]): void {
  const written = new Set(endpoints.filter((e) => e.spec.mcp?.tool?.name).map((e) => e.spec.name));
  const taken = new Set(endpoints.map((e) => e.spec.name));
  for (const { spec } of endpoints) {
    if (spec.mcp?.tool?.name || spec.urlPath === undefined || !written.has(spec.name)) continue;
    let name = `${spec.name}_route`;
    for (let n = 2; taken.has(name); n++) name = `${spec.name}_route${n}`;
    taken.add(name);
    spec.name = name;
  }
}
