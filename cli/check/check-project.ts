import type { Manifest } from '../../runtime/manifest.js';
import type { LoadedProject } from '../config/load-project.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkCaches } from './check-caches.js';
import { checkFlapiDefaults } from './check-flapi-defaults.js';
import { checkParams } from './check-params.js';
import { checkRoutes } from './check-routes.js';
import { checkSecurity } from './check-security.js';
import { checkTemplates, type CheckedTemplates } from './check-template.js';
import { schemaCheck } from './schema-check.js';

export interface CheckInput {
  project: LoadedProject;
  manifest: Manifest;
  endpoints: CompiledEndpoint[];
  diagnostics: Diagnostic[];
  dryRun: boolean;
}

/** Every check over a loaded project: schema, routes, parameters, templates, then the dry-run. */
export async function checkProject(input: CheckInput): Promise<void> {
  const { project, manifest, endpoints, diagnostics } = input;
  diagnostics.push(...schemaCheck(project.main, 'flapi'));
  for (const endpoint of endpoints) diagnostics.push(...schemaCheck(endpoint.doc, 'endpoint'));
  checkRoutes(endpoints, Object.keys(manifest.connections), diagnostics);
  checkCaches(project, manifest, endpoints, diagnostics);
  checkSecurity(project, manifest, endpoints, diagnostics);
  checkFlapiDefaults(project, endpoints, diagnostics);
  const checked: { endpoint: CompiledEndpoint; templates: CheckedTemplates }[] = [];
  for (const endpoint of endpoints) {
    checkParams(endpoint, diagnostics);
    const properties = Object.keys(manifest.connections[endpoint.spec.connection[0] ?? '']?.properties ?? {});
    checked.push({ endpoint, templates: checkTemplates(endpoint, project.env, properties, diagnostics) });
  }
  if (!input.dryRun || diagnostics.some((d) => d.severity === 'error' && d.file === project.configFile)) return;
  // An endpoint with errors already would only repeat them as SQL errors.
  const clean = checked.filter(({ endpoint }) => !diagnostics.some((d) => d.severity === 'error' && ownedBy(d.file, endpoint)));
  const { dryRun } = await import('./dry-run.js');
  await dryRun({ project, manifest, endpoints: clean, diagnostics });
}

function ownedBy(file: string, endpoint: CompiledEndpoint): boolean {
  return file === endpoint.doc.file || file === endpoint.templatePath || file === endpoint.cacheTemplatePath;
}
