/**
 * Which auth applies where. An endpoint's own block wins over the global one; a block
 * that names no users, keys or token settings of its own (`auth: { roles: [admin] }`)
 * keeps the global method and only sets roles (or `enabled: false` to open the endpoint).
 */
import type { AuthSpec, EndpointSpec, Manifest } from '../manifest.js';

export function hasOwnMethod(spec: AuthSpec): boolean {
  return (spec.users?.length ?? 0) > 0 || spec.jwt !== undefined || spec.oidc !== undefined || (spec.apiKey?.keys.length ?? 0) > 0;
}

export interface EffectiveAuth {
  /** The block whose method verifies credentials. */
  method: AuthSpec;
  /** Roles required (one of them). */
  roles: string[];
}

/** The auth guarding `own` (an endpoint's or `mcp.auth` block) given the global one; undefined: open. */
export function effectiveAuth(own: AuthSpec | undefined, global: AuthSpec | undefined): EffectiveAuth | undefined {
  const enabledGlobal = global?.enabled ? global : undefined;
  const spec = own ?? enabledGlobal;
  if (spec === undefined || !spec.enabled) return undefined;
  const method = hasOwnMethod(spec) || enabledGlobal === undefined ? spec : enabledGlobal;
  return { method, roles: spec.roles ?? [] };
}

export function endpointAuth(endpoint: EndpointSpec, manifest: Manifest): EffectiveAuth | undefined {
  return effectiveAuth(endpoint.auth, manifest.auth);
}
