/**
 * One temp folder per process, private to it (mode 0700), for the files DuckDB must
 * reach while serving: Parquet exports and the named pipes caches load through. It is
 * the only temp folder the locked-down database may touch (lock-down.ts), so DuckDB
 * never reads the rest of the machine's temp folder. Removed when the process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let folder: string | undefined;

export function privateTempDir(): string {
  if (folder === undefined) {
    const made = mkdtempSync(join(tmpdir(), `flapi-${process.pid}-`));
    folder = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return folder;
}
