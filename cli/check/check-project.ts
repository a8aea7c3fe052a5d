import type { Manifest } from '../../runtime/manifest.js';
import type { LoadedProject } from '../config/load-project.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface CheckInput {
  project: LoadedProject;
  manifest: Manifest;
  endpoints: CompiledEndpoint[];
  diagnostics: Diagnostic[];
  dryRun: boolean;
}

/** Every check over a loaded project, in the order a user would fix things. */
export async function checkProject(_input: CheckInput): Promise<void> {
}
