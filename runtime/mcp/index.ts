export { mcpMiddleware, mcpEnabled, type McpOptions } from './mcp-middleware.js';
export { mcpPaths } from './mcp-paths.js';
export { buildCatalog, inputSchema, resourceUri, type PlanExecutors, type McpCatalog, type McpTool, type McpResource, type McpPrompt } from './mcp-catalog.js';
// createMcpServer (runtime/mcp/mcp-server.ts) is loaded with the first MCP request, not from here.
export type { McpCaller, ServerInfo } from './mcp-server.js';
export { createEndpointRunner, mcpRowCap, DEFAULT_MCP_MAX_ROWS, type EndpointRunner, type RunOutcome, type Row } from './run-endpoint.js';
export { authFromState, missingRole, type McpAuth } from './auth-context.js';
export { promptText } from './prompt-text.js';
export { redactRows, REDACTED } from './tool-result.js';
