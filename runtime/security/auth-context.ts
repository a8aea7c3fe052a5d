/**
 * Who is calling, as the security middleware verified it. It is left in `ctx.state.auth`
 * for everything after it: templates read it as `auth.*` (bound like parameters, so
 * row-level filters cannot be bent by a request), the response cache keys on it, and
 * MCP checks tool roles against it.
 */
export interface AuthContext {
  authenticated: boolean;
  username?: string;
  roles: string[];
  email?: string;
  /** How the caller was verified: basic, bearer, oidc or api-key. */
  type?: string;
}

export const ANONYMOUS: Readonly<AuthContext> = Object.freeze({ authenticated: false, roles: Object.freeze([]) as unknown as string[] });

/** The verified caller of a request, or an anonymous one when nothing was verified. */
export function authOf(state: Record<string, unknown>): AuthContext {
  const auth = state['auth'];
  return typeof auth === 'object' && auth !== null && typeof (auth as AuthContext).authenticated === 'boolean'
    ? (auth as AuthContext)
    : ANONYMOUS;
}

/** The `auth.*` namespace of a template: every key present, so sections on them behave predictably. */
export function authTemplateValues(auth: AuthContext): Record<string, unknown> {
  return {
    authenticated: auth.authenticated,
    username: auth.username ?? null,
    roles: [...auth.roles],
    email: auth.email ?? null,
    type: auth.type ?? null,
  };
}

/**
 * A stable text naming everything a template can see of the caller: two requests with
 * the same key get the same rows, so the response cache may share an entry between them.
 */
export function identityKey(auth: AuthContext): string {
  if (!auth.authenticated) return '-';
  return JSON.stringify([auth.type ?? '', auth.username ?? '', [...auth.roles].sort(), auth.email ?? '']);
}

/** Does the caller hold one of `required` (none required: any authenticated caller)? */
export function hasRole(auth: AuthContext, required: readonly string[] | undefined): boolean {
  if (!auth.authenticated) return false;
  if (required === undefined || required.length === 0) return true;
  return required.some((role) => auth.roles.includes(role));
}
