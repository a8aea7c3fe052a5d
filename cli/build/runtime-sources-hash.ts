/**
 * A digest of the runtime's sources (`runtime/**`): `npm run build` writes it beside the
 * bundle it makes, and `flapi build` compares it with the sources it finds, so a stale build
 * is told from a fresh one by content. Modification times cannot tell: `npm install`
 * unpacks a package's files with whatever times the extraction gives them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file under `dir`, sorted by path. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out.sort();
}

export function runtimeSourcesHash(sources: string): string {
  const hash = createHash('sha256');
  const files = filesUnder(sources).map((file) => ({ file, rel: relative(sources, file).split(sep).join('/') }));
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { file, rel } of files) hash.update(rel).update('\u0000').update(readFileSync(file)).update('\u0000');
  return hash.digest('hex');
}
