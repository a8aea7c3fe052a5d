/**
 * Decides whether an opened artifact can serve this manifest before any request reaches
 * it: every read endpoint's template, rendered as a bare request and as one with every
 * parameter set, must prepare (so each table and column it reads exists), and each
 * table's row count must match what `flapi bake` recorded. Preparing binds the catalog
 * without running the query, so this costs milliseconds, not scans.
 */
import { whitelistedEnv, type Database } from '../db/index.js';
import type { EndpointSpec, Manifest } from '../manifest.js';
import { compilePlan, renderContext, sampleRenders } from '../plan/index.js';
import type { ArtifactMetadata } from './artifact-metadata.js';
import { ArtifactRejectedError } from './artifact-rejected.js';

export interface CheckOptions {
  env?: Readonly<Record<string, string | undefined>>;
}

function label(endpoint: EndpointSpec): string {
  return endpoint.urlPath !== undefined ? `${endpoint.method} ${endpoint.urlPath} (${endpoint.file})` : `${endpoint.name} (${endpoint.file})`;
}

function firstLine(err: unknown): string {
  return String((err as Error).message ?? err).split('\n')[0]!;
}

async function endpointProblem(database: Database, manifest: Manifest, endpoint: EndpointSpec, env: Record<string, string>, catalog: string): Promise<string | undefined> {
  // The plan every request of the endpoint runs through, cache.* included.
  const plan = compilePlan(endpoint, manifest.server, renderContext(manifest, endpoint, env, catalog));
  for (const sample of sampleRenders(plan, manifest.server.defaultLimit)) {
    // A render failure is a project error the compiler reports; it says nothing about the file.
    if (!sample.ok) continue;
    try {
      await database.withConnection(async (_conn, prepare) => {
        await prepare(sample.rendered.sql, { readOnly: true });
      });
    } catch (err) {
      return `endpoint ${label(endpoint)} cannot run on it: ${firstLine(err)}`;
    }
  }
  return undefined;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function countProblem(database: Database, table: ArtifactMetadata['tables'][number], catalog: string): Promise<string | undefined> {
  // Qualified by catalog: a file named like one of its schemas makes `schema.table` ambiguous.
  const name = `${ident(catalog)}.${ident(table.schema)}.${ident(table.name)}`;
  try {
    const rows = Number((await database.query(`SELECT count(*) AS n FROM ${name}`)).rows[0]?.['n']);
    if (rows !== table.rows) return `table ${table.schema}.${table.name} has ${rows} rows where the artifact's metadata records ${table.rows}`;
  } catch (err) {
    return `table ${table.schema}.${table.name} recorded in the metadata cannot be read: ${firstLine(err)}`;
  }
  return undefined;
}

/** Throws an ArtifactRejectedError naming every problem found (at most a handful). */
export async function checkArtifact(database: Database, manifest: Manifest, metadata: ArtifactMetadata | undefined, options: CheckOptions = {}): Promise<void> {
  const env = whitelistedEnv(manifest.environmentWhitelist, options.env);
  const problems: string[] = [];
  const catalog = String((await database.query('SELECT current_database() AS name')).rows[0]?.['name']);
  for (const table of metadata?.tables ?? []) {
    const problem = await countProblem(database, table, catalog);
    if (problem !== undefined) problems.push(problem);
  }
  for (const endpoint of manifest.endpoints) {
    if (endpoint.operation.type !== 'read') continue;
    const problem = await endpointProblem(database, manifest, endpoint, env, catalog);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length === 0) return;
  const shown = problems.slice(0, 5);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  throw new ArtifactRejectedError(`${shown.join('; ')}${more}`);
}
