/**
 * OIDC: tokens verified against the identity provider's published keys. The JWKS URL is
 * given, or read from the issuer's discovery document (`/.well-known/openid-configuration`).
 * Keys are cached for `jwksCacheSeconds`; a token naming a key id the cache does not hold
 * fetches the set again (at most every few seconds), so a key rotation at the provider is
 * picked up without a restart. Nothing is fetched until the first token arrives, so an
 * unreachable provider never stops the server from starting.
 */
import type { JWTVerifyGetKey } from 'jose';
import type { AuthSpec, OidcSpec } from '../manifest.js';
import type { Authenticator } from './authenticator.js';
import { loadJose } from './jose-module.js';
import { bearerChallenge, bearerToken, describeJwtError, KeyUnavailable, verifyToken, type JwtCheck } from './jwt-verifier.js';

const FETCH_TIMEOUT_MS = 5000;
/** After a failed discovery, wait this long before asking again. */
const RETRY_AFTER_FAILURE_MS = 5000;

interface Discovered {
  issuer: string | undefined;
  keys: JWTVerifyGetKey;
}

async function discover(issuerUrl: string): Promise<{ issuer: string; jwksUri: string }> {
  const url = `${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error', headers: { accept: 'application/json' } });
  } catch {
    throw new KeyUnavailable('the identity provider could not be reached');
  }
  if (response.status !== 200) throw new KeyUnavailable(`the identity provider's discovery document answered ${response.status}`);
  const document = (await response.json().catch(() => undefined)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
  if (typeof document?.jwks_uri !== 'string') throw new KeyUnavailable("the identity provider's discovery document names no jwks_uri");
  return { issuer: typeof document.issuer === 'string' ? document.issuer : issuerUrl, jwksUri: document.jwks_uri };
}

export function createOidcAuthenticator(spec: AuthSpec, oidc: OidcSpec): Authenticator {
  if (oidc.issuerUrl === undefined && oidc.jwksUrl === undefined) {
    throw new Error('oidc auth needs issuer-url (or jwks-url)');
  }
  const cacheMs = oidc.jwksCacheSeconds * 1000;
  const keySet = async (url: string): Promise<JWTVerifyGetKey> =>
    (await loadJose()).createRemoteJWKSet(new URL(url), { cacheMaxAge: cacheMs, cooldownDuration: Math.min(cacheMs, 30_000), timeoutDuration: FETCH_TIMEOUT_MS });
  let discovered: Promise<Discovered> | undefined;
  let failedAt = 0;

  const resolveKeys = (): Promise<Discovered> => {
    if (discovered === undefined || (failedAt > 0 && Date.now() - failedAt > RETRY_AFTER_FAILURE_MS)) {
      failedAt = 0;
      discovered = (async () => {
        if (oidc.jwksUrl !== undefined) return { issuer: oidc.issuerUrl, keys: await keySet(oidc.jwksUrl) };
        const found = await discover(oidc.issuerUrl!);
        return { issuer: found.issuer, keys: await keySet(found.jwksUri) };
      })();
      discovered.catch(() => {
        failedAt = Date.now();
      });
    }
    return discovered;
  };

  const audience = oidc.audience.length > 0 ? oidc.audience : oidc.clientId !== undefined ? [oidc.clientId] : [];
  const realm = spec.realm ?? 'flapi';
  return {
    type: 'oidc',
    challenge: (reason) => bearerChallenge(realm, reason),
    async authenticate(headers) {
      const token = bearerToken(headers);
      if (token === undefined) return { kind: 'missing' };
      try {
        const { issuer, keys } = await resolveKeys();
        const check: JwtCheck = {
          algorithms: oidc.algorithms,
          audience,
          clockSkewSeconds: oidc.clockSkewSeconds,
          requireExpiry: oidc.requireExpiry,
          claims: oidc.claims,
          ...(issuer !== undefined ? { issuer } : {}),
        };
        return await verifyToken(token, keys, check, 'oidc');
      } catch (err) {
        return describeJwtError(err);
      }
    },
  };
}
