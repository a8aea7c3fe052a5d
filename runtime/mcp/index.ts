export { mcpMiddleware, mcpPaths, mcpEnabled, type McpOptions } from './mcp-middleware.js';
export { buildCatalog, inputSchema, resourceUri, type McpCatalog, type McpTool, type McpResource, type McpPrompt } from './mcp-catalog.js';
// createMcpServer (runtime/mcp/mcp-server.ts) is loaded with the first MCP request, not from here.
export type { McpCaller, ServerInfo } from './mcp-server.js';
export { createEndpointRunner, type EndpointRunner, type RunOutcome, type Row } from './run-endpoint.js';
export { authFromState, missingRole, type McpAuth } from './auth-context.js';
export { promptText } from './prompt-text.js';
export { redactRows, REDACTED } from './tool-result.js';
