/**
 * The MCP request handlers over a catalog, for one caller. A server is cheap to create:
 * the catalog holds everything prepared, so a stateless request builds one, answers and
 * drops it, and the caller's auth is simply in scope.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { isInterruptError, isValueConversionError } from '../app/http-errors.js';
import type { Logger } from '../app/logger.js';
import { missingRole, type McpAuth } from './auth-context.js';
import type { EndpointAccess } from '../security/endpoint-access.js';
import type { McpCatalog, McpTool } from './mcp-catalog.js';
import { promptText } from './prompt-text.js';
import { errorResult, invalidArgumentsResult, rowsResult, truncationNote } from './tool-result.js';

export interface McpCaller {
  auth: McpAuth;
  /** The endpoint's own auth, roles and rate limit, applied per call (from the security middleware). */
  access?: EndpointAccess;
  requestId: string;
  logger: Logger;
}

export interface ServerInfo {
  name: string;
  version: string;
  instructions?: string;
}

/** A message for a failure that is not the caller's: the detail goes to the log only, as over HTTP. */
function failureMessage(err: unknown, what: string, caller: McpCaller): string {
  if (isValueConversionError(err)) return 'An argument value does not fit the type the query expects.';
  if (isInterruptError(err)) return `${what} took longer than the server's request timeout; narrow the request.`;
  caller.logger.error('mcp call failed', {
    request_id: caller.requestId,
    target: what,
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  return `${what} failed on the server (request id ${caller.requestId}); the detail is in the server log.`;
}

function toolListing(tool: McpTool): Tool {
  const out: Tool = { name: tool.name, inputSchema: tool.inputSchema };
  if (tool.description !== undefined) out.description = tool.description;
  return out;
}

async function callTool(tool: McpTool, args: Record<string, unknown> | undefined, caller: McpCaller): Promise<CallToolResult> {
  let auth = caller.auth;
  if (caller.access !== undefined) {
    const granted = await caller.access(tool.runner.plan.endpoint);
    if (!granted.ok) return errorResult(`Tool ${tool.name} ${granted.message}.`);
    auth = granted.auth;
  }
  const refused = missingRole(auth, tool.allowedRoles);
  if (refused !== undefined) return errorResult(`Tool ${tool.name} ${refused}.`);
  try {
    const outcome = await tool.runner.run(args, { maxRows: tool.maxRows, auth });
    if (!outcome.ok) return invalidArgumentsResult(outcome.errors);
    return rowsResult(outcome, tool.redactColumns);
  } catch (err) {
    return errorResult(failureMessage(err, `Tool ${tool.name}`, caller));
  }
}

export function createMcpServer(catalog: McpCatalog, info: ServerInfo, caller: McpCaller): Server {
  const capabilities: Record<string, object> = {};
  if (catalog.tools.size > 0) capabilities['tools'] = {};
  if (catalog.resources.size > 0) capabilities['resources'] = {};
  if (catalog.prompts.size > 0) capabilities['prompts'] = {};
  const server = new Server(
    { name: info.name, version: info.version },
    { capabilities, ...(info.instructions !== undefined ? { instructions: info.instructions } : {}) },
  );

  if (catalog.tools.size > 0) {
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...catalog.tools.values()].map(toolListing) }));
    server.setRequestHandler(CallToolRequestSchema, (request) => {
      const tool = catalog.tools.get(request.params.name);
      if (tool === undefined) {
        return errorResult(`Unknown tool ${request.params.name}; available: ${[...catalog.tools.keys()].join(', ')}.`);
      }
      return callTool(tool, request.params.arguments, caller);
    });
  }

  if (catalog.resources.size > 0) {
    server.setRequestHandler(ListResourcesRequestSchema, () => ({
      resources: [...catalog.resources.values()].map((r) => ({
        uri: r.uri,
        name: r.name,
        mimeType: r.mimeType,
        ...(r.description !== undefined ? { description: r.description } : {}),
      })),
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      const resource = catalog.resources.get(request.params.uri);
      if (resource === undefined) throw new McpError(-32002, `Resource not found: ${request.params.uri}`);
      let auth = caller.auth;
      if (caller.access !== undefined) {
        const granted = await caller.access(resource.runner.plan.endpoint);
        if (!granted.ok) throw new McpError(ErrorCode.InvalidRequest, `Resource ${resource.name} ${granted.message}`);
        auth = granted.auth;
      }
      let outcome;
      try {
        outcome = await resource.runner.run({}, { auth });
      } catch (err) {
        throw new McpError(ErrorCode.InternalError, failureMessage(err, `Resource ${resource.name}`, caller));
      }
      if (!outcome.ok) {
        throw new McpError(ErrorCode.InvalidParams, `Resource ${resource.name} needs parameters: ${outcome.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
      }
      const contents = [{ uri: resource.uri, mimeType: resource.mimeType, text: JSON.stringify(outcome.rows) }];
      if (outcome.truncated) {
        contents.push({ uri: resource.uri, mimeType: 'text/plain', text: truncationNote(outcome.maxRows, 'this resource') });
      }
      return { contents };
    });
  }

  if (catalog.prompts.size > 0) {
    server.setRequestHandler(ListPromptsRequestSchema, () => ({
      prompts: [...catalog.prompts.values()].map((p) => ({
        name: p.name,
        ...(p.description !== undefined ? { description: p.description } : {}),
        arguments: p.arguments.map((name) => ({ name, required: false })),
      })),
    }));
    server.setRequestHandler(GetPromptRequestSchema, (request) => {
      const prompt = catalog.prompts.get(request.params.name);
      if (prompt === undefined) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt ${request.params.name}`);
      const text = promptText(prompt.template, request.params.arguments ?? {});
      return {
        ...(prompt.description !== undefined ? { description: prompt.description } : {}),
        messages: [{ role: 'user', content: { type: 'text', text } }],
      };
    });
  }
  return server;
}
