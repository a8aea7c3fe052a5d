import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** Route-level checks across endpoints: duplicates, path parameters, connections. */
export function checkRoutes(endpoints: readonly CompiledEndpoint[], connectionNames: readonly string[], diagnostics: Diagnostic[]): void {
  const routes = new Map<string, CompiledEndpoint>();
  const names = new Map<string, CompiledEndpoint>();
  for (const endpoint of endpoints) {
    const { spec, doc } = endpoint;
    if (spec.urlPath !== undefined) {
      // `/a/:id` and `/a/:key` are the same route.
      const key = `${spec.method} ${spec.urlPath.replace(/:[A-Za-z0-9_]+|\{[^}]+\}/g, ':').replace(/\/+$/, '')}`;
      const first = routes.get(key);
      if (first) {
        diagnostics.push({ severity: 'error', ...doc.locate(['url-path']), code: 'duplicate-route',
          message: `${spec.method} ${spec.urlPath} is already defined in ${first.spec.file}; change the url-path or the method of one of them` });
      } else {
        routes.set(key, endpoint);
      }
      checkPathParams(endpoint, diagnostics);
    }
    const sameName = names.get(spec.name);
    if (sameName && sameName !== endpoint) {
      diagnostics.push({ severity: 'error', ...doc.locate(spec.mcp?.tool ? ['mcp-tool', 'name'] : ['url-path']), code: 'duplicate-name',
        message: `endpoint name \`${spec.name}\` is also used by ${sameName.spec.file}; give one of them a different mcp-tool name` });
    } else {
      names.set(spec.name, endpoint);
    }
    spec.connection.forEach((name, index) => {
      if (connectionNames.includes(name)) return;
      const at = Array.isArray((doc.data as Record<string, unknown>).connection) ? ['connection', index] : ['connection'];
      const known = connectionNames.length > 0 ? `known connections: ${connectionNames.join(', ')}` : 'flapi.yaml defines no connections';
      diagnostics.push({ severity: 'error', ...doc.locate(at), code: 'unknown-connection',
        message: `unknown connection \`${name}\` (${known}); add it under \`connections:\` in flapi.yaml or fix the name` });
    });
  }
}

function checkPathParams(endpoint: CompiledEndpoint, diagnostics: Diagnostic[]): void {
  const { spec, doc } = endpoint;
  const inPath = [...spec.urlPath!.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] ?? m[2]!);
  for (const name of inPath) {
    const param = spec.params.find((p) => p.name === name);
    if (!param) {
      diagnostics.push({ severity: 'error', ...doc.locate(['url-path']), code: 'path-param-undeclared',
        message: `path parameter :${name} is not declared; add \`- field-name: ${name}\` with \`field-in: path\` under \`request:\`` });
    } else if (param.in !== 'path') {
      const index = spec.params.indexOf(param);
      diagnostics.push({ severity: 'error', ...doc.locate(['request', index, 'field-in']), code: 'path-param-location',
        message: `parameter \`${name}\` appears in url-path but is declared with field-in: ${param.in}; set \`field-in: path\`` });
    }
  }
  spec.params.forEach((param, index) => {
    if (param.in === 'path' && !inPath.includes(param.name)) {
      diagnostics.push({ severity: 'error', ...doc.locate(['request', index, 'field-in']), code: 'path-param-missing',
        message: `parameter \`${param.name}\` has field-in: path but url-path ${spec.urlPath} has no :${param.name}; add it to url-path or change field-in` });
    }
  });
}
