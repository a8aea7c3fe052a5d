/**
 * Which of the runtime's npm dependencies a built server needs. Most serve only DuckDB:
 * the AWS and Google Cloud SDKs, the PostgreSQL driver, the Redis client, the MCP SDK
 * and jose are left out unless the project's manifest uses the feature that loads them.
 * The runtime loads each lazily and, when one is missing at run time, names the
 * package to install (runtime/optional-package.ts).
 */
import { parseArtifactLocation } from '../../runtime/artifact/artifact-location.js';
import type { AuthSpec, Manifest } from '../../runtime/manifest.js';

export interface OptionalFeature {
  /** What the user would call it; also the runtime's wording. */
  feature: string;
  packages: readonly string[];
  usedBy(manifest: Manifest): boolean;
}

function artifactKind(manifest: Manifest): string | undefined {
  const path = manifest.duckdb.dbPath;
  if (path === undefined) return undefined;
  try {
    return parseArtifactLocation(path).kind;
  } catch {
    return undefined;
  }
}

function auths(manifest: Manifest): AuthSpec[] {
  const all = [manifest.auth, manifest.mcp?.auth, ...manifest.endpoints.map((e) => e.auth)];
  return all.filter((a): a is AuthSpec => a !== undefined && a.enabled);
}

export const OPTIONAL_FEATURES: readonly OptionalFeature[] = [
  { feature: 's3:// artifacts', packages: ['@aws-sdk/client-s3'], usedBy: (m) => artifactKind(m) === 's3' },
  { feature: 'gs:// artifacts', packages: ['@google-cloud/storage'], usedBy: (m) => artifactKind(m) === 'gs' },
  {
    feature: 'PostgreSQL cache sources',
    packages: ['pg', 'pg-copy-streams'],
    usedBy: (m) => Object.values(m.connections).some((c) => c.type === 'postgres' || c.type === 'postgresql'),
  },
  {
    feature: 'a Redis rate-limit store',
    // Only the global block's store is used (runtime/manifest.ts).
    packages: ['ioredis'],
    usedBy: (m) => m.rateLimit?.store?.type === 'redis',
  },
  {
    feature: 'JWT and OIDC authentication',
    packages: ['jose'],
    usedBy: (m) => auths(m).some((a) => a.type === 'bearer' || a.type === 'oidc'),
  },
  {
    feature: 'MCP',
    packages: ['@modelcontextprotocol/sdk'],
    usedBy: (m) => (m.mcp !== undefined ? m.mcp.enabled : m.endpoints.some((e) => e.mcp !== undefined)),
  },
];

export interface ProjectDependencies {
  dependencies: Record<string, string>;
  /** Features the project does not use, with the packages left out and their version ranges. */
  omitted: OmittedFeature[];
}

export interface OmittedFeature {
  feature: string;
  packages: { name: string; version: string }[];
}

/** The runtime's dependencies minus the packages of features `manifest` does not use. */
export function projectDependencies(runtimeDependencies: Readonly<Record<string, string>>, manifest: Manifest): ProjectDependencies {
  const dependencies = { ...runtimeDependencies };
  const omitted: OmittedFeature[] = [];
  for (const feature of OPTIONAL_FEATURES) {
    if (feature.usedBy(manifest)) continue;
    const present = feature.packages.filter((p) => p in dependencies);
    if (present.length === 0) continue;
    omitted.push({ feature: feature.feature, packages: present.map((name) => ({ name, version: dependencies[name]! })) });
    for (const p of present) delete dependencies[p];
  }
  return { dependencies, omitted };
}
