/**
 * Compiles every endpoint of a manifest into its plan and executor, once per app. A
 * template or parameter the runtime cannot compile stops the app here, naming the
 * endpoint and its file, before anything is served.
 */
import type { Database } from '../db/index.js';
import type { Manifest } from '../manifest.js';
import { compilePlan, createPlanExecutor, renderContext, type PlanExecutor } from '../plan/index.js';

export function compileEndpointPlans(manifest: Manifest, database: Database, env: Record<string, unknown>, cacheCatalog: string): Map<string, PlanExecutor> {
  const executors = new Map<string, PlanExecutor>();
  for (const endpoint of manifest.endpoints) {
    if (endpoint.urlPath === undefined && endpoint.mcp?.tool === undefined && endpoint.mcp?.resource === undefined) continue;
    try {
      const plan = compilePlan(endpoint, manifest.server, renderContext(manifest, endpoint, env, cacheCatalog));
      executors.set(endpoint.name, createPlanExecutor(plan, database));
    } catch (err) {
      const where = endpoint.urlPath !== undefined ? `endpoint ${endpoint.method} ${endpoint.urlPath}` : `MCP ${endpoint.name}`;
      throw new Error(`${where} (${endpoint.file}): ${(err as Error).message}`, { cause: err });
    }
  }
  return executors;
}
