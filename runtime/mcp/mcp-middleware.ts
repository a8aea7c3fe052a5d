/**
 * MCP over Streamable HTTP at `/mcp` (and flAPI's `/mcp/jsonrpc`), stateless: every POST
 * gets a fresh SDK server and transport, answered with plain JSON. Nothing is kept
 * between requests, so any instance behind a load balancer can answer any call and the
 * caller's auth (from `ctx.state.auth`) is re-read on every request.
 */
import type { Context, Middleware, Next } from 'koa';
import type { Manifest } from '../manifest.js';
import type { Logger } from '../app/logger.js';
import { ValidationFailed } from '../app/http-errors.js';
import { readJsonBody } from '../app/read-json-body.js';
import { authFromState } from './auth-context.js';
import { endpointAccessOf } from '../security/endpoint-access.js';
import { buildCatalog, catalogIsEmpty, type McpCatalog, type PlanExecutors } from './mcp-catalog.js';
import { mcpPaths } from './mcp-paths.js';
import type { ServerInfo } from './mcp-server.js';

/**
 * The MCP SDK (and the zod schemas it brings, ~200 modules) loads with the first MCP
 * request, not with the server: it would add ~150 ms to every cold start.
 */
async function loadSdk() {
  const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('./mcp-server.js'),
  ]);
  return { StreamableHTTPServerTransport, createMcpServer };
}

export interface McpOptions {
  /** Every endpoint's compiled plan: tools and resources run through them. */
  executors: PlanExecutors;
  logger: Logger;
}

const SERVER_VERSION = '1.0.0';


/** On when configured so, else when some endpoint has an `mcp-*` block. */
export function mcpEnabled(manifest: Manifest, catalog: McpCatalog): boolean {
  return manifest.mcp === undefined ? !catalogIsEmpty(catalog) : manifest.mcp.enabled;
}

function jsonRpcError(ctx: Context, status: number, code: number, message: string): void {
  ctx.status = status;
  ctx.body = { jsonrpc: '2.0', error: { code, message }, id: null };
}

async function serve(ctx: Context, catalog: McpCatalog, info: ServerInfo, options: McpOptions, bodyLimit: number): Promise<void> {
  if (ctx.method !== 'POST') {
    // Stateless: no server-initiated stream to open (GET) and no session to end (DELETE).
    ctx.set('Allow', 'POST');
    jsonRpcError(ctx, 405, -32000, 'Method not allowed: this MCP endpoint is stateless and takes POST only.');
    return;
  }
  let body: unknown;
  try {
    body = await readJsonBody(ctx, bodyLimit);
  } catch (err) {
    if (!(err instanceof ValidationFailed)) throw err;
    jsonRpcError(ctx, 400, -32700, `Parse error: the request body ${err.errors[0]?.message ?? 'is not valid JSON'}`);
    return;
  }
  const requestId = String(ctx.state['requestId'] ?? '');
  const access = endpointAccessOf(ctx.state);
  const { StreamableHTTPServerTransport, createMcpServer } = await loadSdk();
  const server = createMcpServer(catalog, info, { auth: authFromState(ctx.state), requestId, logger: options.logger, ...(access ? { access } : {}) });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  ctx.res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  // From here on the transport writes the response itself.
  ctx.respond = false;
  try {
    await transport.handleRequest(ctx.req, ctx.res, body);
  } catch (err) {
    options.logger.error('mcp request failed', { request_id: requestId, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    if (!ctx.res.headersSent) {
      ctx.res.writeHead(500, { 'content-type': 'application/json' });
      ctx.res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: `Internal error (request id ${requestId})` }, id: null }));
    } else if (!ctx.res.writableEnded) {
      ctx.res.end();
    }
  }
}

/**
 * The MCP middleware for a manifest, or a pass-through one when MCP is off. Builds every
 * tool's runner up front, so a broken endpoint fails app creation, not a call.
 */
export function mcpMiddleware(manifest: Manifest, options: McpOptions): Middleware {
  const catalog = buildCatalog(manifest, options.executors);
  if (!mcpEnabled(manifest, catalog)) return (_ctx, next) => next();
  const paths = new Set(mcpPaths(manifest));
  const info: ServerInfo = { name: manifest.project.serverName ?? manifest.project.name, version: SERVER_VERSION };
  // flAPI's `mcp.instructions` (or -file) first; the project description otherwise.
  const instructions = manifest.mcp?.instructions ?? manifest.project.description;
  if (instructions !== undefined) info.instructions = instructions;
  const bodyLimit = manifest.server.bodyLimit;
  return async function handleMcp(ctx: Context, next: Next): Promise<void> {
    if (!paths.has(ctx.path)) return next();
    await serve(ctx, catalog, info, options, bodyLimit);
  };
}
