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
import type { DescribedColumns } from './dry-run.js';

export interface CheckInput {
  project: LoadedProject;
  manifest: Manifest;
  endpoints: CompiledEndpoint[];
  diagnostics: Diagnostic[];
  dryRun: boolean;
}

/**
 * Every semantic check over a normalised project: routes, caches, security, parameters,
 * templates, then the dry-run, whose described columns it returns (the schema check ran
 * on the raw YAML before anything was normalised: cli/compile-project.ts).
 */
export async function checkProject(input: CheckInput): Promise<DescribedColumns> {
  const { project, manifest, endpoints, diagnostics } = input;
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
  if (!input.dryRun || diagnostics.some((d) => d.severity === 'error' && d.file === project.configFile)) return new Map();
  // An endpoint with errors already would only repeat them as SQL errors.
  const clean = checked.filter(({ endpoint }) => !diagnostics.some((d) => d.severity === 'error' && ownedBy(d.file, endpoint)));
  const { dryRun } = await import('./dry-run.js');
  return dryRun({ project, manifest, endpoints: clean, diagnostics });
}

function ownedBy(file: string, endpoint: CompiledEndpoint): boolean {
  return file === endpoint.doc.file || file === endpoint.templatePath || file === endpoint.cacheTemplatePath;
}
