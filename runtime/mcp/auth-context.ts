/**
 * The caller as MCP sees it. Authentication itself belongs to the auth middleware, which
 * runs before MCP and leaves its verdict in `ctx.state.auth`; MCP only reads it, so MCP
 * follows the project's auth without knowing how a credential was checked.
 */
export interface McpAuth {
  authenticated: boolean;
  username?: string;
  roles: string[];
  email?: string;
  type?: string;
}

const ANONYMOUS: McpAuth = { authenticated: false, roles: [] };

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The auth context left in `ctx.state.auth`, or an anonymous caller when there is none. */
export function authFromState(state: Record<string, unknown>): McpAuth {
  const auth = state['auth'];
  if (typeof auth !== 'object' || auth === null) return ANONYMOUS;
  const record = auth as Record<string, unknown>;
  const out: McpAuth = {
    authenticated: record['authenticated'] === true,
    roles: isStringArray(record['roles']) ? record['roles'] : [],
  };
  if (typeof record['username'] === 'string') out.username = record['username'];
  if (typeof record['email'] === 'string') out.email = record['email'];
  if (typeof record['type'] === 'string') out.type = record['type'];
  return out;
}

/** Why the caller may not use something restricted to `allowedRoles`, or undefined when it may. */
export function missingRole(auth: McpAuth, allowedRoles: readonly string[] | undefined): string | undefined {
  if (allowedRoles === undefined || allowedRoles.length === 0) return undefined;
  if (auth.authenticated && allowedRoles.some((role) => auth.roles.includes(role))) return undefined;
  const roles = allowedRoles.map((r) => `"${r}"`).join(' or ');
  return auth.authenticated
    ? `requires role ${roles}; ${auth.username ?? 'the caller'} has ${auth.roles.length ? auth.roles.join(', ') : 'no roles'}`
    : `requires role ${roles}; the request is not authenticated`;
}
