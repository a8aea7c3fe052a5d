import type { LoadedProject } from '../config/load-project.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { asMap } from '../config/yaml-values.js';

/**
 * Where this server is deliberately stricter than flAPI, say so once per place, so a
 * flAPI project's author is not surprised by a 401 or a 429 flAPI would not send.
 */
export function checkFlapiDefaults(project: LoadedProject, endpoints: readonly CompiledEndpoint[], diagnostics: Diagnostic[]): void {
  const main = asMap(project.main.data);
  const globalAuth = asMap(main.auth);
  if (main.auth !== undefined && globalAuth.enabled === true) {
    const open = endpoints.filter(({ doc }) => asMap(doc.data).auth === undefined && asMap(doc.data)['url-path'] !== undefined).length;
    if (open > 0) {
      diagnostics.push({ severity: 'warning', ...project.main.locate(['auth']), code: 'flapi-global-auth',
        message: `the global auth applies to the ${open} endpoint(s) without an auth block (flAPI applies it to none); give an endpoint \`auth: { enabled: false }\` to open it` });
    }
  }
  for (const { doc } of endpoints) {
    const data = asMap(doc.data);
    for (const key of ['auth', 'rate-limit', 'rate_limit'] as const) {
      const block = data[key];
      if (block === undefined || block === null || typeof block !== 'object' || 'enabled' in asMap(block)) continue;
      diagnostics.push({ severity: 'warning', ...doc.locate([key]), code: 'flapi-enabled-default',
        message: `\`${key}\` has no \`enabled:\`; it is enforced here (flAPI would leave it off); write \`enabled: true\` or \`enabled: false\` to say which` });
    }
  }
}
