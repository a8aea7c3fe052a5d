/**
 * A local artifact file. Its version is the file's identity and status (device, inode,
 * size, mtime), so replacing it by rename, as `flapi bake` does, or rewriting it in place
 * (`cp`) is seen as a new version. The store hands out the file itself; the artifact
 * source serves a private copy of it (local-snapshot.ts), so neither kind of replacement
 * can disturb the version being served.
 */
import { stat } from 'node:fs/promises';
import type { ArtifactLocation } from './artifact-location.js';
import { ArtifactFetchError, type ArtifactStore, type FetchOptions, type FetchOutcome } from './artifact-store.js';
import { fileStatusTag } from './local-snapshot.js';

export class LocalStore implements ArtifactStore {
  readonly location: ArtifactLocation & { kind: 'local' };

  constructor(location: ArtifactLocation & { kind: 'local' }) {
    this.location = location;
  }

  async fetch(_dest: string, options: FetchOptions = {}): Promise<FetchOutcome> {
    const { path } = this.location;
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ArtifactFetchError(code === 'ENOENT' ? 'the file does not exist' : `cannot read the file (${code ?? (err as Error).message})`, { cause: err });
    }
    if (!info.isFile()) throw new ArtifactFetchError('not a regular file');
    const etag = fileStatusTag(info);
    if (options.ifNoneMatch === etag) return { status: 'not-modified' };
    return { status: 'fetched', artifact: { file: path, owned: false, etag, size: info.size, lastModified: info.mtime } };
  }
}
