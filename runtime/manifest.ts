/**
 * The Manifest: the one contract between the compiler (`cli/`) and the runtime.
 *
 * The compiler loads `flapi.yaml` and every endpoint file, resolves paths, env
 * substitutions and includes, checks everything and dry-runs every template. What it
 * learns lands here, normalised and JSON-serialisable. `flapi dev` and a built server
 * both execute the runtime on exactly this object, so anything the runtime needs must
 * be in it and nothing in it may depend on the working directory.
 */

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
  auth?: AuthSpec;
  rateLimit?: RateLimitSpec;
  mcp?: EndpointMcpSpec;
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

/**
 * A secret as the manifest keeps it. A built server embeds its manifest, so a secret
 * written as `{{env.NAME}}` stays a reference (`env`) and is read from the environment
 * when the app starts; `value` holds what was written inline, hashed wherever a hash
 * suffices (passwords, API keys, the admin token).
 */
export type SecretSpec = { env: string } | { value: string };

export interface AuthSpec {
  enabled: boolean;
  type: 'basic' | 'bearer' | 'oidc' | 'api-key';
  /** The caller needs one of these roles; none listed: any authenticated caller. */
  roles?: string[];
  /** Realm named in `WWW-Authenticate`. */
  realm?: string;
  /** Global auth only (`public-docs: true`): /docs and /openapi.json answer without credentials. */
  publicDocs?: boolean;
  /** basic: the users and their hashed passwords. */
  users?: AuthUserSpec[];
  /** bearer: how a JWT is verified. */
  jwt?: JwtSpec;
  /** oidc: where the keys come from and what the token must say. */
  oidc?: OidcSpec;
  /** api-key: the header and the hashed keys. */
  apiKey?: ApiKeySpec;
}

export interface AuthUserSpec {
  username: string;
  /**
   * An encoded hash (`$scrypt$...`, `$pbkdf2-sha256$...`, `$2b$...`), flAPI's MD5 hex,
   * or an environment variable holding any of those or a plaintext password.
   */
  password: SecretSpec;
  roles: string[];
  email?: string;
}

/** Where a token's claims are found; dotted paths reach nested claims (`realm_access.roles`). */
export interface ClaimsSpec {
  username: string;
  email: string;
  roles: string;
}

export interface JwtSpec {
  /** Shared secret for HS256/384/512. */
  secret?: SecretSpec;
  /** PEM public key (SPKI or certificate) for RS* / ES* / PS*. */
  publicKey?: SecretSpec;
  /** Accepted `alg` values; never `none`. */
  algorithms: string[];
  issuer?: string;
  /** Accepted `aud` values; empty: `aud` is not checked. */
  audience: string[];
  clockSkewSeconds: number;
  /** Refuse tokens without `exp` (tokens that never expire). */
  requireExpiry: boolean;
  claims: ClaimsSpec;
}

export interface OidcSpec {
  /** The issuer; its discovery document names the JWKS when `jwksUrl` is not given. */
  issuerUrl?: string;
  jwksUrl?: string;
  clientId?: string;
  /** Accepted `aud` values (default: the client id). */
  audience: string[];
  algorithms: string[];
  clockSkewSeconds: number;
  requireExpiry: boolean;
  claims: ClaimsSpec;
  /** How long fetched keys are trusted; a token with an unknown `kid` fetches sooner. */
  jwksCacheSeconds: number;
}

export interface ApiKeySpec {
  /** Request header carrying the key (default `X-API-Key`). */
  header: string;
  keys: ApiKeyEntry[];
}

export interface ApiKeyEntry {
  /** Who the key belongs to; becomes `auth.username`. */
  name: string;
  /** `sha256:<hex>` of the key, or an environment variable holding the key itself. */
  key: SecretSpec;
  roles: string[];
}

export interface RateLimitSpec {
  enabled: boolean;
  max: number;
  /** Window length in seconds. */
  interval: number;
  key: 'ip' | 'user' | 'user-or-ip';
  /** Where counters live; only the global block's store is used. Default: memory. */
  store?: RateLimitStoreSpec;
}

export type RateLimitStoreSpec =
  | { type: 'memory' }
  | { type: 'redis'; url: SecretSpec; prefix?: string };

export interface CorsSpec {
  enabled: boolean;
  /** Exact origins (`https://app.example.com`), or `*` for any origin (never with credentials). */
  allowedOrigins: string[];
  credentials: boolean;
  /** Request headers a browser may send (default: Authorization, Content-Type, the API key header). */
  allowedHeaders?: string[];
  /** How long a browser may cache a preflight answer, in seconds. */
  maxAge?: number;
}

/** Who may use the mutating `/_flapi/*` routes. */
export interface AdminSpec {
  /** `sha256:<hex>` of the admin token, or the environment variable holding it. */
  token?: SecretSpec;
  /** Require the admin token for `/_flapi/metrics` too. */
  protectMetrics: boolean;
}

export interface McpServerSpec {
  enabled: boolean;
  path: string;
  /** flAPI's `mcp.auth`: how `/mcp` itself is protected (default: the global auth). */
  auth?: AuthSpec;
}

export interface EndpointMcpSpec {
  tool?: { name: string; description?: string; allowedRoles?: string[]; maxRows?: number; redactColumns?: string[] };
  resource?: { name: string; description?: string; mimeType?: string };
  prompt?: { name: string; description?: string; template?: string; arguments?: string[] };
}
