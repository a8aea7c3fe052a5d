/**
 * Access to one endpoint from inside another request: an MCP tool call runs an endpoint
 * through `/mcp`, and must honour that endpoint's own auth, roles and rate limit just as
 * an HTTP request to its URL would. The security middleware leaves a function for this
 * in `ctx.state.endpointAccess`.
 */
import type { EndpointSpec } from '../manifest.js';
import type { AuthContext } from './auth-context.js';

export type EndpointAccessResult =
  | { ok: true; auth: AuthContext }
  | { ok: false; message: string };

export type EndpointAccess = (endpoint: EndpointSpec) => Promise<EndpointAccessResult>;

export function endpointAccessOf(state: Record<string, unknown>): EndpointAccess | undefined {
  const access = state['endpointAccess'];
  return typeof access === 'function' ? (access as EndpointAccess) : undefined;
}
