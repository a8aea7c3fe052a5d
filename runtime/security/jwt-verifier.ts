/**
 * Bearer JWTs verified with a shared secret (HS*) or a public key (RS*, ES*, PS*). The
 * key is chosen by the token's `alg` from an allowlist, and an HMAC algorithm is only
 * ever checked against the configured secret: a token "signed" with the public key as
 * an HMAC secret, or one with `alg: none`, fails like any forgery.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JWTHeaderParameters, JWTVerifyGetKey } from 'jose';
import type { AuthSpec, JwtSpec } from '../manifest.js';
import { authorizationValue, quoted, type Authenticator, type AuthOutcome, type RequestHeaders } from './authenticator.js';
import { joseIfLoaded, loadJose } from './jose-module.js';
import { authFromClaims } from './jwt-claims.js';
import { resolveOptionalSecret, type Environment } from './secret-value.js';
import type { Jose } from './jose-module.js';

/** What a token is checked against once its key is known: the JWT settings without the key material. */
export type JwtCheck = Omit<JwtSpec, 'secret' | 'publicKey'>;

const HMAC = /^HS(256|384|512)$/;

/** Why a token was refused, in words safe to send back; `unavailable` when keys could not be fetched. */
export function describeJwtError(err: unknown): { kind: 'invalid' | 'unavailable'; reason: string } {
  const errors = joseIfLoaded()?.errors;
  if (errors !== undefined) {
    const described = describeJoseError(err, errors);
    if (described !== undefined) return described;
  }
  if (err instanceof KeyUnavailable) return { kind: 'unavailable', reason: err.message };
  if (err instanceof TypeError) return { kind: 'unavailable', reason: 'the identity provider could not be reached' };
  return { kind: 'invalid', reason: 'the token is not accepted' };
}

function describeJoseError(err: unknown, errors: Jose['errors']): { kind: 'invalid' | 'unavailable'; reason: string } | undefined {
  if (err instanceof errors.JWTExpired) return { kind: 'invalid', reason: 'the token has expired' };
  if (err instanceof errors.JWTClaimValidationFailed) return { kind: 'invalid', reason: `the token's "${err.claim}" claim is not accepted` };
  if (err instanceof errors.JOSEAlgNotAllowed) return { kind: 'invalid', reason: 'the token uses an algorithm that is not accepted' };
  if (err instanceof errors.JWSSignatureVerificationFailed) return { kind: 'invalid', reason: 'the token signature does not verify' };
  if (err instanceof errors.JWKSNoMatchingKey) return { kind: 'invalid', reason: 'no known key matches the token' };
  if (err instanceof errors.JWKSTimeout) return { kind: 'unavailable', reason: 'the identity provider did not answer in time' };
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) {
    return { kind: 'invalid', reason: 'the token is malformed' };
  }
  // A JWKS answer that is not a key set, or a fetch that failed outright: the provider, not the token.
  if (err instanceof errors.JOSEError && /JSON Web Key Set/.test(err.message)) {
    return { kind: 'unavailable', reason: 'the identity provider did not serve its keys' };
  }
  return undefined;
}

/** Keys could not be obtained (discovery or JWKS fetch failed). */
export class KeyUnavailable extends Error {}

/** Verifies `token` and maps its claims; throws what {@link describeJwtError} explains. */
export async function verifyToken(token: string, key: JWTVerifyGetKey, check: JwtCheck, type: string): Promise<AuthOutcome> {
  const { jwtVerify } = await loadJose();
  const { payload } = await jwtVerify(token, key, {
    algorithms: check.algorithms,
    clockTolerance: check.clockSkewSeconds,
    ...(check.issuer !== undefined ? { issuer: check.issuer } : {}),
    ...(check.audience.length > 0 ? { audience: check.audience } : {}),
    ...(check.requireExpiry ? { requiredClaims: ['exp'] } : {}),
  });
  return { kind: 'ok', auth: authFromClaims(payload as Record<string, unknown>, check.claims, type) };
}

/** A bearer token from `Authorization`; JWTs only ever travel there, never in a query string. */
export function bearerToken(headers: RequestHeaders): string | undefined {
  const token = authorizationValue(headers, 'bearer');
  return token === undefined || token === '' ? undefined : token;
}

export function bearerChallenge(realm: string, reason?: string): string {
  return reason === undefined
    ? `Bearer realm=${quoted(realm)}`
    : `Bearer realm=${quoted(realm)}, error="invalid_token", error_description=${quoted(reason)}`;
}

function publicKeyOf(pem: string): KeyObject {
  // A certificate or an SPKI key; `\n` written literally (as env vars often carry PEM) is unfolded.
  return createPublicKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
}

export function createJwtAuthenticator(spec: AuthSpec, jwt: JwtSpec, env: Environment): Authenticator {
  const secretText = resolveOptionalSecret(jwt.secret, env);
  const publicPem = resolveOptionalSecret(jwt.publicKey, env);
  if (secretText === undefined && publicPem === undefined) {
    const variable = jwt.secret && 'env' in jwt.secret ? jwt.secret.env : jwt.publicKey && 'env' in jwt.publicKey ? jwt.publicKey.env : undefined;
    throw new Error(variable !== undefined
      ? `the JWT secret comes from the environment variable ${variable}, which is not set; set it before starting the server`
      : 'bearer auth needs jwt-secret (HS256) or jwt-public-key (RS256/ES256)');
  }
  const secret = secretText === undefined ? undefined : new TextEncoder().encode(secretText);
  const publicKey = publicPem === undefined ? undefined : publicKeyOf(publicPem);
  const algorithms = jwt.algorithms.filter((alg) => (HMAC.test(alg) ? secret !== undefined : publicKey !== undefined) && alg !== 'none');
  // Called by jwtVerify, so jose is loaded by then.
  const notAllowed = () => new (joseIfLoaded()!.errors.JOSEAlgNotAllowed)('alg not allowed');
  const key = (header: JWTHeaderParameters): Uint8Array | KeyObject => {
    if (!algorithms.includes(header.alg)) throw notAllowed();
    const chosen = HMAC.test(header.alg) ? secret : publicKey;
    if (chosen === undefined) throw notAllowed();
    return chosen;
  };
  const check: JwtCheck = {
    algorithms,
    audience: jwt.audience,
    clockSkewSeconds: jwt.clockSkewSeconds,
    requireExpiry: jwt.requireExpiry,
    claims: jwt.claims,
    ...(jwt.issuer !== undefined ? { issuer: jwt.issuer } : {}),
  };
  const realm = spec.realm ?? 'flapi';
  return {
    type: 'bearer',
    challenge: (reason) => bearerChallenge(realm, reason),
    async authenticate(headers) {
      const token = bearerToken(headers);
      if (token === undefined) return { kind: 'missing' };
      try {
        return await verifyToken(token, key, check, 'bearer');
      } catch (err) {
        return describeJwtError(err);
      }
    },
  };
}
