import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { MANIFEST_VERSION, type ArtifactSettings, type ConnectionSpec, type Manifest } from '../../runtime/manifest.js';
import { parseDuration } from '../../runtime/artifact/artifact-settings.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedProject } from './load-project.js';
import { envReference } from './secret-source.js';
import type { YamlDocument } from './yaml-document.js';
import { normaliseAuth } from './normalise-auth.js';
import { normaliseAdmin, normaliseCors, normaliseRateLimit } from './normalise-policies.js';
import { normaliseIndexes } from './normalise-indexes.js';
import { normaliseLimits } from './normalise-limits.js';
import { asBoolean, asMap, asNumber, asScalar, asString } from './yaml-values.js';

export const SERVER_DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  maxLimit: 1000,
  defaultLimit: 100,
  bodyLimit: 1024 * 1024,
  requestTimeoutMs: 30_000,
  poolSize: 0,
  responseCacheBytes: 64 * 1024 * 1024,
} as const;

/** flapi.yaml → every part of the manifest except the endpoints. */
export function normaliseConfig(project: LoadedProject, diagnostics: Diagnostic[]): Omit<Manifest, 'endpoints'> {
  const { main, root, env } = project;
  const data = asMap(main.data);

  if (!existsSync(project.templateDir)) {
    diagnostics.push({ severity: 'error', ...main.locate(['template', 'path']), code: 'template-path',
      message: `template.path ${project.templateDir} does not exist; create it or point template.path at the folder of your endpoint YAML files` });
  }
  for (const pattern of env.invalidPatterns) {
    diagnostics.push({ severity: 'error', ...main.locate(['template', 'environment-whitelist']), code: 'invalid-regex',
      message: `environment-whitelist pattern \`${pattern}\` is not a valid regular expression; fix or remove it` });
  }

  const envPort = asNumber(env.raw('FLAPI_PORT'));
  const enforceHttps = data['enforce-https'];
  const heartbeat = data.heartbeat === undefined ? undefined : asMap(data.heartbeat);
  const manifest: Omit<Manifest, 'endpoints'> = {
    manifestVersion: MANIFEST_VERSION,
    project: {
      name: asString(data['project-name']) ?? basename(root),
      root,
    },
    server: {
      port: envPort ?? asNumber(data['http-port']) ?? SERVER_DEFAULTS.port,
      host: env.raw('FLAPI_HOST') || asString(data['http-host']) || SERVER_DEFAULTS.host,
      enforceHttps: typeof enforceHttps === 'boolean' ? enforceHttps : asBoolean(asMap(enforceHttps).enabled, false),
      maxLimit: SERVER_DEFAULTS.maxLimit,
      defaultLimit: SERVER_DEFAULTS.defaultLimit,
      bodyLimit: SERVER_DEFAULTS.bodyLimit,
      requestTimeoutMs: SERVER_DEFAULTS.requestTimeoutMs,
      poolSize: SERVER_DEFAULTS.poolSize,
      responseCacheBytes: SERVER_DEFAULTS.responseCacheBytes,
    },
    duckdb: { ...normaliseDuckdb(data.duckdb, root, env.raw('FLAPI_DATABASE')), ...normaliseDucklake(data.ducklake, root) },
    connections: normaliseConnections(data.connections, root, main),
    environmentWhitelist: [...env.whitelist],
  };

  const description = asString(data['project-description']);
  if (description) manifest.project.description = description;
  const serverName = asString(data['server-name']);
  if (serverName) manifest.project.serverName = serverName;
  if (heartbeat) {
    const interval = asNumber(heartbeat['worker-interval']);
    manifest.server.heartbeat = { enabled: asBoolean(heartbeat.enabled, false), ...(interval !== undefined ? { workerInterval: interval } : {}) };
  }
  normaliseLimits(data, root, main, manifest.server, diagnostics);
  const bigint = asString(asMap(data.serialization).bigint);
  if (bigint === 'auto' || bigint === 'number' || bigint === 'string') manifest.server.bigint = bigint;
  else if (bigint !== undefined) {
    diagnostics.push({ severity: 'error', ...main.locate(['serialization', 'bigint']), code: 'serialization',
      message: `serialization.bigint must be auto, number or string, not \`${bigint}\`` });
  }
  const authContext = { doc: main, diagnostics, root };
  const auth = normaliseAuth(data.auth, ['auth'], authContext, basename(project.configFile));
  if (auth) manifest.auth = auth;
  const rateLimitKey = data.rate_limit !== undefined ? 'rate_limit' : 'rate-limit';
  const rateLimit = normaliseRateLimit(data[rateLimitKey], main, [rateLimitKey]);
  if (rateLimit) manifest.rateLimit = rateLimit;
  const cors = normaliseCors(data.cors);
  if (cors) manifest.cors = cors;
  const admin = normaliseAdmin(data.admin, main, diagnostics);
  if (admin) manifest.admin = admin;
  if (data.mcp !== undefined) {
    const mcp = asMap(data.mcp);
    manifest.mcp = { enabled: asBoolean(mcp.enabled, true), path: asString(mcp.path) ?? '/mcp' };
    const mcpAuth = normaliseAuth(mcp.auth, ['mcp', 'auth'], authContext, `${basename(project.configFile)}#mcp`);
    if (mcpAuth) manifest.mcp.auth = mcpAuth;
    const instructions = mcpInstructions(mcp, project, diagnostics);
    if (instructions !== undefined) manifest.mcp.instructions = instructions;
  }
  return manifest;
}

/** `mcp.instructions`, else the text of `mcp.instructions-file` (relative to flapi.yaml), read now so a built server carries it. */
function mcpInstructions(mcp: Record<string, unknown>, project: LoadedProject, diagnostics: Diagnostic[]): string | undefined {
  const inline = asString(mcp.instructions);
  if (inline !== undefined) return inline;
  const file = asString(mcp['instructions-file']);
  if (file === undefined) return undefined;
  const path = resolve(project.root, file);
  try {
    return readFileSync(path, 'utf8');
  } catch {
    diagnostics.push({ severity: 'error', ...project.main.locate(['mcp', 'instructions-file']), code: 'mcp-instructions-file',
      message: `mcp.instructions-file ${file} not found (looked at ${path}); create it or fix the path, which is relative to flapi.yaml` });
    return undefined;
  }
}

/** `FLAPI_DATABASE` (a path relative to the working directory, or a URL) wins over `db_path`. */
function normaliseDuckdb(value: unknown, root: string, envDatabase: string | undefined): Manifest['duckdb'] {
  const { db_path: configured, artifact, 'external-access': externalAccess, 'allowed-directories': allowedDirectories, ...rest } = asMap(value);
  const dbPath = envDatabase ? (/^[a-z][a-z0-9+.-]*:\/\//i.test(envDatabase) ? envDatabase : resolve(envDatabase)) : configured;
  const settings: Record<string, string | number | boolean> = {};
  for (const [key, setting] of Object.entries(rest)) {
    const scalar = asScalar(setting);
    if (scalar !== undefined) settings[key] = scalar;
  }
  const path = asString(dbPath);
  const out: Manifest['duckdb'] = { settings };
  if (path && path !== ':memory:') out.dbPath = /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || isAbsolute(path) ? path : resolve(root, path);
  if (artifact !== undefined) out.artifact = normaliseArtifact(artifact);
  if (externalAccess !== undefined) out.externalAccess = asBoolean(externalAccess, false);
  // Kept as written: the runtime resolves them against the project root, which a built project moves.
  const allowed = (Array.isArray(allowedDirectories) ? allowedDirectories : [allowedDirectories]).map(asString).filter((d): d is string => d !== undefined && d !== '');
  if (allowed.length > 0) out.allowedDirectories = allowed;
  return out;
}

/**
 * flAPI's `ducklake` block. The DuckLake extension is not used: its alias names a DuckDB
 * database the caches live in, kept beside the DuckLake metadata file when one is named.
 */
function normaliseDucklake(value: unknown, root: string): Pick<Manifest['duckdb'], 'cacheCatalog'> {
  const map = asMap(value);
  if (value === undefined || !asBoolean(map.enabled, true)) return {};
  const alias = asString(map.alias) ?? 'cache';
  const metadata = asString(map['metadata-path']);
  if (!metadata) return { cacheCatalog: { alias } };
  const absolute = isAbsolute(metadata) ? metadata : resolve(root, metadata);
  return { cacheCatalog: { alias, path: `${absolute.replace(/\.ducklake$/, '')}.duckdb` } };
}

/** `duckdb.artifact`: how a read-only artifact is fetched and watched. */
function normaliseArtifact(value: unknown): ArtifactSettings {
  const map = asMap(value);
  const out: ArtifactSettings = {};
  const endpoint = asString(map.endpoint);
  if (endpoint) out.endpoint = endpoint;
  const region = asString(map.region);
  if (region) out.region = region;
  if (map['force-path-style'] !== undefined) out.forcePathStyle = asBoolean(map['force-path-style'], true);
  const interval = parseDuration(asScalar(map['poll-interval']) as string | number | undefined);
  if (interval !== undefined) out.pollIntervalMs = interval;
  const dir = asString(map['download-dir']);
  // Kept relative: the runtime resolves it against the project root, which a built project moves.
  if (dir) out.downloadDir = dir;
  return out;
}

function normaliseConnections(value: unknown, root: string, main: YamlDocument): Record<string, ConnectionSpec> {
  const out: Record<string, ConnectionSpec> = {};
  for (const [name, raw] of Object.entries(asMap(value))) {
    const map = asMap(raw);
    const properties: Record<string, string | number | boolean> = {};
    for (const [key, property] of Object.entries(asMap(map.properties))) {
      const scalar = asScalar(property);
      if (scalar === undefined) continue;
      // flAPI makes `./x` and `../x` absolute against flapi.yaml, so templates work from any cwd.
      properties[key] = typeof scalar === 'string' && /^\.\.?\//.test(scalar) ? resolve(root, scalar) : scalar;
    }
    const spec: ConnectionSpec = {
      name,
      properties,
      logQueries: asBoolean(map['log-queries'], false),
      logParameters: asBoolean(map['log-parameters'], false),
    };
    const init = asString(map.init);
    if (init !== undefined) spec.init = init;
    const type = asString(map.type);
    if (type !== undefined) spec.type = type;
    const url = asString(map.url);
    const urlEnv = url === undefined ? undefined : envReference(main, ['connections', name, 'url']);
    if (urlEnv !== undefined) spec.urlEnv = urlEnv;
    else if (url !== undefined) spec.url = url;
    const indexes = normaliseIndexes(map.indexes);
    if (indexes.length > 0) spec.indexes = indexes;
    out[name] = spec;
  }
  return out;
}
