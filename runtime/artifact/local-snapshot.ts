/**
 * A local artifact is served from a private copy, never in place: `cp new.duckdb
 * served.duckdb` rewrites the served file's bytes under the open database, and DuckDB
 * would then fail requests (`Could not read enough bytes`). The copy is a reflink where
 * the file system offers one (instant), else a plain copy. A file changed while it was
 * being copied is refused; the next poll sees its new status and tries again. A file on
 * a read-only file system (a Lambda image) cannot change, so it is served in place.
 */
import { constants } from 'node:fs';
import { access, copyFile, rm, stat } from 'node:fs/promises';
import { ArtifactRejectedError } from './artifact-rejected.js';
import type { FetchedArtifact } from './artifact-store.js';

/** The status a local store names a version by (local-store.ts). */
export function fileStatusTag(info: { dev: number; ino: number; size: number; mtimeMs: number }): string {
  return `${info.dev}:${info.ino}:${info.size}:${Math.trunc(info.mtimeMs)}`;
}

async function onReadOnlyFileSystem(file: string): Promise<boolean> {
  try {
    await access(file, constants.W_OK);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EROFS';
  }
}

/** `fetched` as a file only this process holds; `dest` is a fresh name in the download folder. */
export async function snapshotLocal(fetched: FetchedArtifact, dest: string): Promise<FetchedArtifact> {
  if (fetched.owned || (await onReadOnlyFileSystem(fetched.file))) return fetched;
  try {
    await copyFile(fetched.file, dest, constants.COPYFILE_FICLONE);
    const after = await stat(fetched.file);
    if (fetched.etag !== undefined && fileStatusTag(after) !== fetched.etag) {
      throw new ArtifactRejectedError('the file changed while it was being copied (still being written?); it is tried again at the next poll');
    }
  } catch (err) {
    await rm(dest, { force: true });
    throw err;
  }
  return { ...fetched, file: dest, owned: true };
}
