/**
 * The "source snapshot" recorded in an artifact: what its data was made from, so an
 * operator can tell two artifacts apart without opening them. Local files named by
 * connection properties are described by size and modification time, init SQL and the
 * endpoint templates by hash, and each cache by the snapshot its bake refresh wrote.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { SnapshotRecord } from '../../runtime/cache/index.js';
import type { Manifest } from '../../runtime/manifest.js';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function fileFacts(value: unknown): { path: string; bytes: number; modified: string } | undefined {
  if (typeof value !== 'string' || !isAbsolute(value)) return undefined;
  try {
    const info = statSync(value);
    return info.isFile() ? { path: value, bytes: info.size, modified: info.mtime.toISOString() } : undefined;
  } catch {
    return undefined;
  }
}

export function sourceSnapshot(manifest: Manifest, caches: readonly SnapshotRecord[]): Record<string, unknown> {
  const connections: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(manifest.connections)) {
    const files: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(spec.properties)) {
      const facts = fileFacts(value);
      if (facts) files[key] = facts;
    }
    connections[name] = {
      ...(spec.init ? { init_sha256: sha256(spec.init) } : {}),
      ...(spec.type ? { type: spec.type } : {}),
      files,
    };
  }
  return {
    project: manifest.project.name,
    templates_sha256: sha256(JSON.stringify(manifest.endpoints.map((e) => [e.name, e.template.sql, e.cache?.template?.sql ?? null]))),
    connections,
    caches: caches.map((s) => ({
      endpoint: s.endpoint,
      table: s.cacheTable,
      snapshot_id: s.id,
      mode: s.mode,
      rows: s.rowCount ?? null,
      high_water_mark: s.highWaterMark ?? null,
      finished_at: s.finishedAt?.toISOString() ?? null,
    })),
  };
}
