import { isAbsolute, relative } from 'node:path';
import type { Manifest } from '../runtime/manifest.js';
import { checkProject } from './check/check-project.js';
import { schemaCheck } from './check/schema-check.js';
import { findConfig } from './config/find-config.js';
import { loadProject } from './config/load-project.js';
import { normaliseConfig } from './config/normalise-config.js';
import { normaliseEndpoint, type CompiledEndpoint } from './config/normalise-endpoint.js';
import { separateRouteNames } from './config/unique-names.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';

export interface CompileOptions {
  /** Project folder (or a YAML file); defaults to the working directory. */
  dir?: string;
  /** Explicit path to flapi.yaml (`-c`); wins over FLAPI_CONFIG and `dir`. */
  config?: string;
  /** Environment to read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Prepare every template on an in-memory DuckDB to learn result columns (default true). */
  dryRun?: boolean;
}

export interface CompileResult {
  /** Undefined when any diagnostic is an error. */
  manifest: Manifest | undefined;
  diagnostics: Diagnostic[];
  /** Absolute paths of every file read, for watchers. */
  files: string[];
  /** Endpoint files found, also when errors leave no manifest (for summaries). */
  endpointCount: number;
}

/**
 * The compiler pipeline: find → load (substitute, parse) → JSON Schema check of the raw
 * YAML → normalise → semantic checks → dry-run (column descriptions) → manifest, assembled
 * last from the normalised parts and the described columns.
 */
export async function compileProject(options: CompileOptions = {}): Promise<CompileResult> {
  const env = options.env ?? process.env;
  const diagnostics: Diagnostic[] = [];
  const files = new Set<string>();
  const found = findConfig({ dir: options.dir, config: options.config, env });
  if ('error' in found) {
    diagnostics.push({ severity: 'error', file: options.config ?? options.dir ?? '.', line: 1, column: 1, code: 'config-missing', message: found.error });
    return finish(undefined, diagnostics, files, 0);
  }
  const project = loadProject(found.file, env, diagnostics, files);
  if (!project) return finish(undefined, diagnostics, files, 0);

  // What the files say, before any normaliser reads (and coerces) them.
  diagnostics.push(...schemaCheck(project.main, 'flapi'));
  for (const doc of project.endpoints) if (doc.data !== undefined) diagnostics.push(...schemaCheck(doc, 'endpoint'));

  const config = normaliseConfig(project, diagnostics);
  const connectionNames = Object.keys(config.connections);
  const endpoints: CompiledEndpoint[] = project.endpoints
    .filter((doc) => doc.data !== undefined)
    .map((doc) => normaliseEndpoint(doc, project.root, connectionNames, diagnostics, files));
  separateRouteNames(endpoints);
  const draft: Manifest = { ...config, endpoints: endpoints.map((e) => e.spec) };
  const columns = await checkProject({ project, manifest: draft, endpoints, diagnostics, dryRun: options.dryRun !== false });
  if (hasErrors(diagnostics)) return finish(undefined, diagnostics, files, project.endpoints.length);
  const manifest: Manifest = { ...config, endpoints: endpoints.map((e) => ({ ...e.spec, columns: columns.get(e.spec.name) ?? e.spec.columns })) };
  return finish(manifest, diagnostics, files, project.endpoints.length);
}

function finish(manifest: Manifest | undefined, diagnostics: Diagnostic[], files: Set<string>, endpointCount: number): CompileResult {
  const cwd = process.cwd();
  const shown = sortDiagnostics(diagnostics).map((d) => ({ ...d, file: displayPath(d.file, cwd) }));
  return { manifest, diagnostics: shown, files: [...files], endpointCount };
}

function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
