import type { Manifest } from '../manifest.js';

/** Paths MCP answers at: the configured one and its `/jsonrpc` alias. */
export function mcpPaths(manifest: Manifest): string[] {
  const path = (manifest.mcp?.path ?? '/mcp').replace(/\/+$/, '') || '/mcp';
  return [path, `${path}/jsonrpc`];
}
