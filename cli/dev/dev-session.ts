/**
 * A `flapi dev` session: compile, serve, and on every change compile again and swap the
 * new app in on the same port. A failed compile (or an app that cannot start, e.g. a
 * broken init SQL) is reported and the last good version keeps answering.
 */
import { dirname, resolve } from 'node:path';
import { createApp, startServer, type HttpServerHandle, type Logger } from '../../runtime/app/index.js';
import type { Manifest } from '../../runtime/manifest.js';
import { compileProject, type CompileResult } from '../compile-project.js';
import { formatDiagnostic } from '../diagnostics/index.js';
import { endpointList } from './endpoint-list.js';
import { listenAddress, type ListenFlags } from './listen-address.js';
import { watchProject, type ProjectWatcher } from './watch-project.js';

export interface DevSessionOptions extends ListenFlags {
  dir: string;
  config?: string;
  watch?: boolean;
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Where messages for the user go (default: stdout / stderr). */
  out?: (text: string) => void;
  err?: (text: string) => void;
}

export interface DevSession {
  /** Base URL, once a version has compiled and is served. */
  readonly url: string | undefined;
  /** Successful reloads so far. */
  readonly generation: number;
  /** Compiles again now; true when the new version is serving. */
  reload(): Promise<boolean>;
  /** Resolves when the watcher sees edits. */
  readonly watching: Promise<void>;
  close(): Promise<void>;
}

export async function startDevSession(options: DevSessionOptions): Promise<DevSession> {
  const out = options.out ?? ((t: string) => void process.stdout.write(t));
  const err = options.err ?? ((t: string) => void process.stderr.write(t));
  const env = options.env ?? process.env;
  let handle: HttpServerHandle | undefined;
  let watcher: ProjectWatcher | undefined;
  let generation = 0;
  let queue: Promise<boolean> = Promise.resolve(true);
  let closed = false;

  const compile = async (): Promise<CompileResult> => {
    const result = await compileProject({ dir: options.dir, config: options.config, env });
    for (const d of result.diagnostics) err(`${formatDiagnostic(d)}\n`);
    watcher?.add(result.files);
    return result;
  };

  const serve = async (manifest: Manifest): Promise<void> => {
    if (handle === undefined) {
      const address = listenAddress(manifest, options, env);
      handle = await startServer(manifest, { ...address, logger: options.logger, env });
      out(endpointList(manifest, handle.url));
      return;
    }
    const app = await createApp(manifest, { logger: options.logger, env });
    // The old version finishes its in-flight requests and closes in the background.
    handle.swap(app).catch((e: unknown) => err(`flapi dev: closing the previous version failed: ${(e as Error).message}\n`));
  };

  const reloadNow = async (): Promise<boolean> => {
    if (closed) return false;
    const started = performance.now();
    const result = await compile();
    if (result.manifest === undefined) {
      err(handle ? 'flapi dev: the project has errors; the last good version keeps serving.\n' : 'flapi dev: the project has errors; waiting for a fix.\n');
      return false;
    }
    try {
      await serve(result.manifest);
    } catch (e) {
      err(`flapi dev: ${(e as Error).message}\n${handle ? 'flapi dev: the last good version keeps serving.\n' : ''}`);
      return false;
    }
    generation++;
    if (generation > 1) out(`flapi dev: reloaded in ${Math.round(performance.now() - started)} ms\n`);
    return true;
  };

  const reload = (): Promise<boolean> => {
    queue = queue.then(reloadNow, reloadNow);
    return queue;
  };

  const first = await compile();
  if (first.manifest !== undefined) {
    await serve(first.manifest);
    generation = 1;
  } else {
    err('flapi dev: the project has errors; waiting for a fix.\n');
  }
  const root = first.manifest?.project.root ?? (options.config ? dirname(resolve(options.config)) : resolve(options.dir));
  if (options.watch !== false) {
    watcher = watchProject(root, first.files, () => void reload());
  }

  return {
    get url() {
      return handle?.url;
    },
    get generation() {
      return generation;
    },
    reload,
    watching: watcher?.ready ?? Promise.resolve(),
    async close() {
      closed = true;
      await watcher?.close();
      await queue.catch(() => false);
      await handle?.close();
    },
  };
}
