/**
 * The security part of the manifest: authentication, rate limits, CORS and the admin
 * credential, as the compiler normalised them from flAPI's keys. Re-exported by
 * manifest.ts, the one contract between the compiler and the runtime.
 */
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
  /** Methods a preflight allows (default: every method the API serves). */
  allowedMethods?: string[];
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
