import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';

export interface TokenOptions {
  secretEnv?: string;
  keyFile?: string;
  sub: string;
  roles?: string;
  email?: string;
  issuer?: string;
  audience?: string;
  expires?: string;
  claim?: string[];
}

/** The signing key and its algorithm: an HS256 secret from the environment, or a PEM private key (RS256 / ES256). */
function signingKey(options: TokenOptions): { key: Uint8Array | KeyObject; alg: string } | string {
  if (options.keyFile !== undefined) {
    let key: KeyObject;
    try {
      key = createPrivateKey(readFileSync(options.keyFile));
    } catch (err) {
      return `cannot read the private key ${options.keyFile}: ${(err as Error).message}`;
    }
    if (key.asymmetricKeyType === 'rsa') return { key, alg: 'RS256' };
    if (key.asymmetricKeyType === 'ec') return { key, alg: 'ES256' };
    return `${options.keyFile} is a ${key.asymmetricKeyType ?? 'unknown'} key; use an RSA or P-256 EC key`;
  }
  if (options.secretEnv === undefined) return 'give --secret-env NAME (HS256) or --key-file private.pem (RS256/ES256)';
  const secret = process.env[options.secretEnv];
  if (secret === undefined || secret === '') return `the environment variable ${options.secretEnv} is not set`;
  return { key: new TextEncoder().encode(secret), alg: 'HS256' };
}

/**
 * `flapi auth token --sub alice --roles reader (--secret-env JWT_SECRET | --key-file key.pem)`:
 * signs a JWT for trying out bearer auth locally. Real deployments get their tokens from
 * an identity provider.
 */
export async function run(options: TokenOptions): Promise<number> {
  const signing = signingKey(options);
  if (typeof signing === 'string') {
    process.stderr.write(`flapi auth token: ${signing}\n`);
    return 1;
  }
  const claims: Record<string, unknown> = {};
  if (options.roles !== undefined) claims['roles'] = options.roles.split(',').map((r) => r.trim()).filter((r) => r !== '');
  if (options.email !== undefined) claims['email'] = options.email;
  for (const pair of options.claim ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      process.stderr.write(`flapi auth token: --claim takes name=value, not ${pair}\n`);
      return 2;
    }
    claims[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: signing.alg, typ: 'JWT' }).setSubject(options.sub).setIssuedAt().setExpirationTime(options.expires ?? '1h');
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  process.stdout.write(`${await jwt.sign(signing.key)}\n`);
  return 0;
}
