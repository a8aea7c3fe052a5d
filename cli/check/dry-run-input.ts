import type { Manifest } from '../../runtime/manifest.js';
import type { LoadedProject } from '../config/load-project.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CheckedTemplates } from './check-template.js';

export interface DryRunInput {
  project: LoadedProject;
  manifest: Manifest;
  /** Endpoints free of errors so far, with their parsed templates. */
  endpoints: { endpoint: CompiledEndpoint; templates: CheckedTemplates }[];
  diagnostics: Diagnostic[];
}

/** One run's input and what it learns on the way: cache tables it could not build. */
export interface DryRunContext extends DryRunInput {
  unbuilt: Set<string>;
  /** The catalog cache tables are built in, named as the server names it (dry-run-catalog.ts). */
  cacheCatalog: string;
}
