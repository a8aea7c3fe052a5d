/**
 * `flapi build` as a function: compile (any error stops the build), make the manifest
 * portable, generate the project's files and write them with the vendored runtime and
 * the data. Also what benchmarks and tests call.
 */
import { constants, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compileProject } from '../compile-project.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { bakedEnvironment } from './baked-environment.js';
import { generateFiles } from './generate-files.js';
import { writeLockfile } from './lockfile.js';
import { portableManifest } from './portable-manifest.js';
import { VENDOR_DIR, vendoredRuntime } from './vendor-runtime.js';

export interface BuildOptions {
  /** Project folder (default: the working directory). */
  dir?: string;
  /** Explicit flapi.yaml. */
  config?: string;
  /** Output folder. */
  out: string;
  env?: Record<string, string | undefined>;
  /** Copy the files connections point to into `out/data` (default true). */
  copyData?: boolean;
  /** The flapi installation whose compiled runtime is vendored (default: this one). */
  runtimeRoot?: string;
  /**
   * Write `package-lock.json` with npm (needs the registry or npm's cache; default false
   * here, true for `flapi build`). A failure is a warning: `npm install` in the output
   * creates the lock too.
   */
  lockfile?: boolean;
}

export interface BuildResult {
  ok: boolean;
  out: string;
  diagnostics: Diagnostic[];
  warnings: string[];
  /** Generated text files by path relative to `out`. */
  files: Map<string, string>;
  /** Data files or folders copied into `out/data`. */
  dataCopies: { from: string; to: string }[];
  endpointCount: number;
  durationMs: number;
}

/** Entries of a previous build that a new one keeps: the install and its lock. */
const KEPT = new Set(['node_modules', 'package-lock.json']);

function isBuildOutput(out: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as { flapi?: unknown };
    return pkg.flapi !== undefined && existsSync(join(out, 'manifest.json'));
  } catch {
    return false;
  }
}

/** Empties a previous build's folder but its install; refuses any other non-empty folder. */
function prepareOutput(out: string): void {
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    return;
  }
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  if (!isBuildOutput(out)) {
    throw new Error(`${out} is not empty and holds no earlier flapi build; choose a new or empty folder`);
  }
  for (const entry of entries) if (!KEPT.has(entry)) rmSync(join(out, entry), { recursive: true, force: true });
}

function copyInto(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  // A copy-on-write clone where the file system offers one (large data files), else a copy.
  copyFileSync(from, to, constants.COPYFILE_FICLONE);
}

export async function buildProject(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const out = resolve(options.out);
  const compiled = await compileProject({ dir: options.dir, config: options.config, env: options.env });
  const result = (ok: boolean, extra: Partial<BuildResult> = {}): BuildResult => ({
    ok,
    out,
    diagnostics: compiled.diagnostics,
    warnings: [],
    files: new Map(),
    dataCopies: [],
    endpointCount: compiled.endpointCount,
    durationMs: performance.now() - started,
    ...extra,
  });
  if (compiled.manifest === undefined) return result(false);

  const portable = portableManifest(compiled.manifest, { copyData: options.copyData });
  const baked = bakedEnvironment(compiled.files, JSON.stringify(portable.manifest), options.env ?? process.env);
  if (baked.length > 0) {
    portable.warnings.push(`manifest.json holds the values of ${baked.map((n) => `{{env.${n}}}`).join(', ')}, substituted at build time; keep secrets out of YAML text (use secret references or templates' env.*)`);
  }
  const runtime = vendoredRuntime(options.runtimeRoot);
  const files = generateFiles({ manifest: portable.manifest, runtime, hasData: portable.copies.length > 0 });

  prepareOutput(out);
  for (const [path, text] of files) {
    const target = join(out, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  for (const file of runtime.files) copyInto(file.from, join(out, VENDOR_DIR, file.to));
  for (const copy of portable.copies) {
    const target = join(out, copy.to);
    if (statSync(copy.from).isDirectory()) cpSync(copy.from, target, { recursive: true });
    else copyInto(copy.from, target);
  }
  if (options.lockfile === true) {
    const lock = await writeLockfile(out);
    if (!lock.ok) {
      portable.warnings.push(`could not write package-lock.json (npm: ${lock.error}); run \`npm install --package-lock-only\` in ${out} before \`docker build\`, whose \`npm ci\` needs it`);
    }
  }
  return result(true, { warnings: portable.warnings, files, dataCopies: portable.copies, durationMs: performance.now() - started });
}
