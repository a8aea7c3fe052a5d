/**
 * Watches the files a compile read plus the project folder (so a new endpoint file is
 * noticed), and calls back once per burst of changes. Editors write a file in several
 * steps; a short debounce turns that into one reload.
 */
import { watch, type FSWatcher } from 'chokidar';
import { extname } from 'node:path';

const WATCHED_EXTENSIONS = new Set(['.yaml', '.yml', '.sql', '.mustache', '.json']);
const IGNORED = /(^|[/\\])(node_modules|\.git|dist)([/\\]|$)/;

export interface ProjectWatcher {
  /** Resolves once the initial scan is done and edits are being seen. */
  readonly ready: Promise<void>;
  /** Adds files learned by a later compile (e.g. a new include). */
  add(files: readonly string[]): void;
  close(): Promise<void>;
}

export function watchProject(root: string, files: readonly string[], onChange: (path: string) => void, debounceMs = 40): ProjectWatcher {
  const watched = new Set<string>(files);
  let timer: NodeJS.Timeout | undefined;
  let lastPath = '';
  const watcher: FSWatcher = watch([root, ...files], {
    ignoreInitial: true,
    ignored: (path: string) => IGNORED.test(path),
  });
  const fire = (path: string): void => {
    if (!watched.has(path) && !WATCHED_EXTENSIONS.has(extname(path).toLowerCase())) return;
    lastPath = path;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(lastPath), debounceMs);
  };
  watcher.on('add', fire).on('change', fire).on('unlink', fire);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    add(more) {
      const fresh = more.filter((f) => !watched.has(f));
      for (const f of fresh) watched.add(f);
      if (fresh.length > 0) watcher.add(fresh);
    },
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
