/**
 * What the manifest offers over MCP, built once when the app starts: a runner and an
 * input schema per tool, a runner per resource, the text of every prompt. Requests only
 * look things up here.
 */
import type { EndpointSpec, Manifest, ParamSpec } from '../manifest.js';
import { paramSchema, type JsonSchema } from '../openapi/index.js';
import type { PlanExecutor } from '../plan/index.js';
import { createEndpointRunner, type EndpointRunner } from './run-endpoint.js';

export interface McpTool {
  name: string;
  description?: string;
  inputSchema: { type: 'object'; properties: Record<string, JsonSchema>; required?: string[]; additionalProperties?: boolean };
  runner: EndpointRunner;
  allowedRoles?: string[];
  maxRows?: number;
  redactColumns?: string[];
}

export interface McpResource {
  name: string;
  uri: string;
  description?: string;
  mimeType: string;
  runner: EndpointRunner;
}

export interface McpPrompt {
  name: string;
  description?: string;
  template: string;
  arguments: string[];
}

export interface McpCatalog {
  tools: Map<string, McpTool>;
  resources: Map<string, McpResource>;
  prompts: Map<string, McpPrompt>;
}

/** The compiled plan of every endpoint, by endpoint name (built once by the app). */
export type PlanExecutors = ReadonlyMap<string, PlanExecutor>;

/** The URI a resource is read under. */
export function resourceUri(name: string): string {
  return `flapi://${encodeURIComponent(name)}`;
}

export function inputSchema(params: readonly ParamSpec[], strict: boolean): McpTool['inputSchema'] {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const param of params) {
    const schema = paramSchema(param);
    if (param.description !== undefined) {
      schema.description = typeof schema.description === 'string' ? `${param.description} ${schema.description}` : param.description;
    }
    properties[param.name] = schema;
    if (param.required && param.default === undefined) required.push(param.name);
  }
  const schema: McpTool['inputSchema'] = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  if (strict) schema.additionalProperties = false;
  return schema;
}

function describe(endpoint: EndpointSpec, error: unknown): Error {
  return new Error(`MCP ${endpoint.name} (${endpoint.file}): ${(error as Error).message}`, { cause: error });
}

export function buildCatalog(manifest: Manifest, executors: PlanExecutors): McpCatalog {
  const catalog: McpCatalog = { tools: new Map(), resources: new Map(), prompts: new Map() };
  for (const endpoint of manifest.endpoints) {
    const mcp = endpoint.mcp;
    if (mcp === undefined) continue;
    let runner: EndpointRunner | undefined;
    if (mcp.tool || mcp.resource) {
      const executor = executors.get(endpoint.name);
      if (executor === undefined) throw describe(endpoint, new Error('the endpoint has no compiled plan'));
      runner = createEndpointRunner(executor);
    }
    if (mcp.tool && runner) {
      const name = mcp.tool.name || endpoint.name;
      const tool: McpTool = { name, inputSchema: inputSchema(runner.params, endpoint.requestFieldsValidation), runner };
      const description = mcp.tool.description ?? endpoint.description;
      if (description !== undefined) tool.description = description;
      if (mcp.tool.allowedRoles !== undefined) tool.allowedRoles = mcp.tool.allowedRoles;
      // The runner narrows it further to `limits.max-rows` (runtime/mcp/run-endpoint.ts).
      if (mcp.tool.maxRows !== undefined) tool.maxRows = mcp.tool.maxRows;
      if (mcp.tool.redactColumns !== undefined) tool.redactColumns = mcp.tool.redactColumns;
      if (!catalog.tools.has(name)) catalog.tools.set(name, tool);
    }
    if (mcp.resource && runner) {
      const name = mcp.resource.name || endpoint.name;
      const uri = resourceUri(name);
      const resource: McpResource = { name, uri, mimeType: mcp.resource.mimeType ?? 'application/json', runner };
      const description = mcp.resource.description ?? endpoint.description;
      if (description !== undefined) resource.description = description;
      if (!catalog.resources.has(uri)) catalog.resources.set(uri, resource);
    }
    if (mcp.prompt) {
      const name = mcp.prompt.name || endpoint.name;
      const prompt: McpPrompt = { name, template: mcp.prompt.template ?? '', arguments: mcp.prompt.arguments ?? [] };
      if (mcp.prompt.description !== undefined) prompt.description = mcp.prompt.description;
      if (!catalog.prompts.has(name)) catalog.prompts.set(name, prompt);
    }
  }
  return catalog;
}

export function catalogIsEmpty(catalog: McpCatalog): boolean {
  return catalog.tools.size === 0 && catalog.resources.size === 0 && catalog.prompts.size === 0;
}
