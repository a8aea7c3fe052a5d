/**
 * The Manifest: the one contract between the compiler (`cli/`) and the runtime.
 *
 * The compiler loads `flapi.yaml` and every endpoint file, resolves paths, env
 * substitutions and includes, checks everything and dry-runs every template. What it
 * learns lands here, normalised and JSON-serialisable. `flapi dev` and a built server
 * both execute the runtime on exactly this object, so anything the runtime needs must
 * be in it and nothing in it may depend on the working directory.
 */

import type { BigintMode } from './serialize/wire-types.js';
import type { AuthSpec, RateLimitSpec, CorsSpec, AdminSpec } from './manifest-security.js';

export type { SecretSpec, AuthSpec, AuthUserSpec, ClaimsSpec, JwtSpec, OidcSpec, ApiKeySpec, ApiKeyEntry, RateLimitSpec, RateLimitStoreSpec, CorsSpec, AdminSpec } from './manifest-security.js';

export const MANIFEST_VERSION = 1 as const;

export interface Manifest {
  manifestVersion: typeof MANIFEST_VERSION;
  project: ProjectInfo;
  server: ServerSettings;
  duckdb: DuckDBSettings;
  /** Connections by name, in declaration order. */
  connections: Record<string, ConnectionSpec>;
  /** Regexes (source text) that an environment variable name must match to reach templates. */
  environmentWhitelist: string[];
  auth?: AuthSpec;
  rateLimit?: RateLimitSpec;
  cors?: CorsSpec;
  admin?: AdminSpec;
  mcp?: McpServerSpec;
  endpoints: EndpointSpec[];
}

export interface ProjectInfo {
  name: string;
  description?: string;
  serverName?: string;
  /** Absolute folder of flapi.yaml when compiled; informational only at runtime. */
  root: string;
}

export interface ServerSettings {
  port: number;
  host: string;
  enforceHttps: boolean;
  /** Largest `limit` a paginated request may ask for. */
  maxLimit: number;
  /** `limit` applied when a paginated request gives none. */
  defaultLimit: number;
  /** Request body size limit in bytes. */
  bodyLimit: number;
  /** Per-request timeout in milliseconds (0 = none). */
  requestTimeoutMs: number;
  /** DuckDB connections in the pool (0 = number of cores). */
  poolSize: number;
  /** Response cache size in bytes (0 disables it). */
  responseCacheBytes: number;
  heartbeat?: { enabled: boolean; workerInterval?: number };
  /** Most rows one response carries: pages are no larger, unpaged reads stop there and say `X-Max-Rows` (absent or 0: no cap). */
  maxRows?: number;
  /** How BIGINT and wider integers are written in JSON (`serialization.bigint`; default `auto`). */
  bigint?: BigintMode;
  /** Honour `X-Forwarded-For` / `X-Forwarded-Proto` (only behind a proxy you trust). */
  trustProxy?: boolean;
  /** Serve HTTPS directly (flAPI's `https:` block): absolute paths of the PEM files. */
  tls?: { certFile: string; keyFile: string };
  /** Limits on what a client may send; defaults in runtime/security/http-limits.ts. */
  httpLimits?: Partial<HttpLimits>;
  /** `limits.pool-queue`: requests that may wait for a database connection (default 256). */
  poolQueue?: number;
  /** `limits.pool-wait`: longest wait for a connection in ms, then 503 (default 10 s; 0: no limit). */
  poolWaitMs?: number;
  /** `limits.shutdown-timeout`: on SIGTERM, how long in-flight requests may finish before queries are interrupted (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface HttpLimits {
  /** Time a client has to send all request headers (slow-loris guard). */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request. */
  requestReceiveTimeoutMs: number;
  /** Largest total size of the request line and headers. */
  maxHeaderBytes: number;
  maxHeadersCount: number;
  /** Most query parameters one request may carry. */
  maxQueryParams: number;
  /** A streamed response whose client has taken nothing for this long is aborted (0 = never). */
  streamIdleMs: number;
}

export interface DuckDBSettings {
  /** Absolute path, a remote URL (s3://, gs://, https://), or undefined for in-memory. */
  dbPath?: string;
  /** Every other key of the `duckdb:` block, passed to DuckDB as a setting. */
  settings: Record<string, string | number | boolean>;
  /** How a read-only artifact at `dbPath` is fetched and watched (`duckdb.artifact`). */
  artifact?: ArtifactSettings;
  /** `duckdb.external-access: true`: no lockdown after init (runtime/db/lock-down.ts). */
  externalAccess?: boolean;
  /** `duckdb.allowed-directories`: more folders a locked-down instance may read, as written (relative to the project). */
  allowedDirectories?: string[];
  /**
   * flAPI's `ducklake` block: caches live in the catalog `alias` (`{{cache.catalog}}`), a
   * DuckDB database attached under that name unless the main database already has it.
   */
  cacheCatalog?: { alias: string; /** Absolute file to attach; undefined = in memory. */ path?: string };
}

/** Settings for serving a baked artifact; environment variables override them at start. */
export interface ArtifactSettings {
  /** Object-store endpoint for S3-compatible stores or a GCS emulator (`AWS_ENDPOINT_URL`, `STORAGE_EMULATOR_HOST`). */
  endpoint?: string;
  /** S3 region (default `AWS_REGION`, then us-east-1). */
  region?: string;
  /** Path-style S3 addressing (`endpoint/bucket/key`); default true when an endpoint is set. */
  forcePathStyle?: boolean;
  /** How often to look for a new version, in milliseconds; 0 turns polling off. */
  pollIntervalMs?: number;
  /** Folder that downloads go to, relative to the project root (default the OS temp folder, `/tmp` on AWS Lambda). */
  downloadDir?: string;
}

export interface ConnectionSpec {
  name: string;
  /** SQL run once when the database is set up, after env/conn substitution. */
  init?: string;
  /** Visible to templates as `conn.*`. Relative paths already made absolute. */
  properties: Record<string, string | number | boolean>;
  logQueries: boolean;
  logParameters: boolean;
  /** A source driver for cache refreshes (e.g. `postgres`); undefined = DuckDB itself. */
  type?: string;
  /** The source's URL, when written literally. */
  url?: string;
  /**
   * The environment variable holding the URL, when it was written as `{{env.NAME}}`: read
   * when a refresh runs, so the manifest (and a built server) never carries the credential.
   */
  urlEnv?: string;
  /** `indexes`: ART indexes on tables this connection's `init` creates, made right after every init ran. */
  indexes?: IndexSpec[];
}

/** An index a connection declares. */
export interface IndexSpec {
  /** As written: `flights`, `main.flights` or `db.main.flights`. */
  table: string;
  columns: string[];
  unique: boolean;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ParamLocation = 'query' | 'path' | 'body' | 'header';

export type ValidatorSpec =
  | { type: 'int'; min?: number; max?: number }
  | { type: 'number'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'string'; regex?: string; min?: number; max?: number }
  | { type: 'enum'; allowedValues: string[] }
  | { type: 'date'; min?: string; max?: string }
  | { type: 'time'; min?: string; max?: string }
  | { type: 'email' }
  | { type: 'uuid' };

export interface ParamSpec {
  name: string;
  in: ParamLocation;
  description?: string;
  required: boolean;
  /** Raw default as written (string form); validated like a request value. */
  default?: string | number | boolean;
  /** An example value used by the dry-run and docs when there is no default. */
  example?: string | number | boolean;
  validators: ValidatorSpec[];
}

/** The logical result column learned by the dry-run. `type` is DuckDB's type text. */
export interface ColumnSpec {
  name: string;
  type: string;
  nullable: boolean;
}

export interface SourceLocation {
  /** Path relative to the project root (folder of flapi.yaml). */
  file: string;
  line: number;
  column: number;
}

export interface TemplateSpec {
  /** Path of the template file relative to the project root. */
  file: string;
  /** The Mustache SQL text, embedded so the runtime never reads template files. */
  sql: string;
}

export interface EndpointSpec {
  /** Stable identifier: mcp tool name, else derived from method + path (`get_flights_id`). */
  name: string;
  /** Endpoint YAML file relative to the project root. */
  file: string;
  /** Undefined for MCP-only endpoints (tool/resource/prompt without url-path). */
  urlPath?: string;
  method: HttpMethod;
  description?: string;
  template: TemplateSpec;
  /** Connection names in order; the first one's properties become `conn.*`. */
  connection: string[];
  pagination: boolean;
  /** Reject parameters that are not declared. */
  requestFieldsValidation: boolean;
  params: ParamSpec[];
  /** From the dry-run; empty when the dry-run could not describe the result. */
  columns: ColumnSpec[];
  operation: OperationSpec;
  cache?: CacheSpec;
  /** `response-cache:` of the endpoint (reads only); absent: stored, no TTL, computed `Cache-Control`. */
  responseCache?: ResponseCacheSpec;
  auth?: AuthSpec;
  rateLimit?: RateLimitSpec;
  mcp?: EndpointMcpSpec;
  /** `coalesce-lookups: false`: concurrent key lookups of this endpoint never share a query. */
  coalesceLookups?: false;
}

export interface OperationSpec {
  type: 'read' | 'write';
  transaction: boolean;
  returnsData: boolean;
}

export interface CacheSpec {
  enabled: boolean;
  table: string;
  schema: string;
  catalog?: string;
  /** Interval (`30s`, `5m`) or a cron expression, as written. */
  schedule?: string;
  template?: TemplateSpec;
  primaryKey: string[];
  cursor?: { column: string; type: string };
  retention?: { keepLastSnapshots?: number; maxSnapshotAge?: string };
  /** Derived from the keys given: full, append or merge. */
  mode: 'full' | 'append' | 'merge';
}

/** How the answers of one read endpoint are kept by the response cache and by caches downstream. */
export interface ResponseCacheSpec {
  /** false: answers are never stored (identical concurrent misses still share one query). */
  enabled: boolean;
  /** Stored answers expire this long after they were stored, even if the data did not change; also caps `max-age`. */
  ttlMs?: number;
  /** `Cache-Control` sent as written on the endpoint's public answers instead of the computed one. */
  cacheControl?: string;
}

export interface McpServerSpec {
  enabled: boolean;
  path: string;
  /** flAPI's `mcp.auth`: how `/mcp` itself is protected (default: the global auth). */
  auth?: AuthSpec;
  /** `mcp.instructions` (or the text of `mcp.instructions-file`): sent to clients at initialize. */
  instructions?: string;
}

export interface EndpointMcpSpec {
  tool?: { name: string; description?: string; allowedRoles?: string[]; maxRows?: number; redactColumns?: string[] };
  resource?: { name: string; description?: string; mimeType?: string };
  prompt?: { name: string; description?: string; template?: string; arguments?: string[] };
}
