/**
 * HTTP Basic authentication against the configured users. Unknown users cost a hash
 * verification too, so response time does not tell which usernames exist.
 */
import type { AuthSpec } from '../manifest.js';
import type { AuthContext } from './auth-context.js';
import { authorizationValue, quoted, type Authenticator, type AuthOutcome, type RequestHeaders } from './authenticator.js';
import { CredentialCache } from './credential-cache.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { resolveSecret, type Environment } from './secret-value.js';

interface User {
  username: string;
  stored: string;
  auth: AuthContext;
}

/** `Basic base64(user:password)` → its parts; undefined when malformed. */
export function parseBasic(value: string): { username: string; password: string } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function createBasicAuthenticator(spec: AuthSpec, env: Environment): Authenticator {
  const users = new Map<string, User>();
  for (const user of spec.users ?? []) {
    const stored = resolveSecret(user.password, env, `the password of user ${user.username}`);
    const auth: AuthContext = { authenticated: true, username: user.username, roles: [...user.roles], type: 'basic' };
    if (user.email !== undefined) auth.email = user.email;
    users.set(user.username, { username: user.username, stored, auth });
  }
  const realm = spec.realm ?? 'flapi';
  const verified = new CredentialCache<AuthContext>();
  let decoy: Promise<string> | undefined;

  return {
    type: 'basic',
    challenge: () => `Basic realm=${quoted(realm)}, charset="UTF-8"`,
    async authenticate(headers: RequestHeaders): Promise<AuthOutcome> {
      const value = authorizationValue(headers, 'basic');
      if (value === undefined) return { kind: 'missing' };
      const credential = parseBasic(value);
      if (credential === undefined || credential.password === '') return { kind: 'invalid', reason: 'malformed Basic credentials' };
      const user = users.get(credential.username);
      const parts = [credential.username, credential.password];
      if (user !== undefined) {
        const known = verified.get(parts);
        if (known !== undefined) return { kind: 'ok', auth: known };
        if (await verifyPassword(user.stored, credential.password)) {
          verified.set(parts, user.auth);
          return { kind: 'ok', auth: user.auth };
        }
      } else {
        decoy ??= hashPassword('flapi-decoy');
        await verifyPassword(await decoy, credential.password);
      }
      return { kind: 'invalid', reason: 'unknown user or wrong password' };
    },
  };
}
