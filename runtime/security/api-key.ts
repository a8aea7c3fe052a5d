/**
 * API keys in a configurable header (default `X-API-Key`). Keys are long random strings,
 * so a SHA-256 digest is a safe way to store them (no slow hash needed): the manifest
 * holds `sha256:<hex>`, or names the environment variable holding the key. Every
 * configured key is compared, in constant time, so the match position leaks nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthSpec } from '../manifest.js';
import type { AuthContext } from './auth-context.js';
import { headerValue, quoted, type Authenticator } from './authenticator.js';
import { resolveSecret, type Environment } from './secret-value.js';

export const DEFAULT_API_KEY_HEADER = 'X-API-Key';

const SHA256_REF = /^sha256:([0-9a-f]{64})$/i;

export function apiKeyDigest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** `sha256:<hex>` of a key, as the manifest and `flapi auth hash-key` write it. */
export function apiKeyHash(key: string): string {
  return `sha256:${apiKeyDigest(key).toString('hex')}`;
}

/** The digest a stored entry stands for: a `sha256:` reference as is, a raw key hashed. */
export function storedKeyDigest(stored: string): Buffer {
  const ref = SHA256_REF.exec(stored);
  return ref ? Buffer.from(ref[1]!, 'hex') : apiKeyDigest(stored);
}

export function createApiKeyAuthenticator(spec: AuthSpec, env: Environment): Authenticator {
  const header = spec.apiKey?.header ?? DEFAULT_API_KEY_HEADER;
  const entries = (spec.apiKey?.keys ?? []).map((entry) => {
    const auth: AuthContext = { authenticated: true, username: entry.name, roles: [...entry.roles], type: 'api-key' };
    return { digest: storedKeyDigest(resolveSecret(entry.key, env, `the API key ${entry.name}`)), auth };
  });
  const realm = spec.realm ?? 'flapi';
  return {
    type: 'api-key',
    challenge: () => `ApiKey realm=${quoted(realm)}, header=${quoted(header)}`,
    async authenticate(headers) {
      const key = headerValue(headers, header);
      if (key === undefined || key === '') return { kind: 'missing' };
      const digest = apiKeyDigest(key);
      let found: AuthContext | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(entry.digest, digest) && found === undefined) found = entry.auth;
      }
      return found ? { kind: 'ok', auth: found } : { kind: 'invalid', reason: 'unknown API key' };
    },
  };
}
