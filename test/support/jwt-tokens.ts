/** Tokens for the security tests, signed with jose (the same library the server verifies with). */
import { createHmac } from 'node:crypto';
import { SignJWT, type JWTPayload, type CryptoKey, type KeyObject } from 'jose';

export interface TokenOptions {
  alg?: string;
  kid?: string;
  issuer?: string;
  audience?: string | string[];
  /** Seconds from now; negative for an expired token; null for no `exp`. */
  expiresIn?: number | null;
  subject?: string;
}

export async function signToken(key: Uint8Array | CryptoKey | KeyObject, claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) }).setIssuedAt(now - 5);
  if (options.subject !== undefined) jwt.setSubject(options.subject);
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 300));
  return jwt.sign(key);
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** A token with `alg: none` and no signature, as an attacker would send it. */
export function unsignedToken(claims: JWTPayload): string {
  const now = Math.floor(Date.now() / 1000);
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify({ exp: now + 300, ...claims }))}.`;
}

/** HS256 over header.payload with an arbitrary byte string as the secret (e.g. a public key's PEM text). */
export function hmacToken(secret: string, claims: JWTPayload, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify({ exp: now + 300, ...claims }))}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
