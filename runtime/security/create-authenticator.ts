/**
 * One authenticator per auth block, built when the app starts: secrets are resolved and
 * keys parsed once, so a request only verifies.
 */
import type { AuthSpec } from '../manifest.js';
import { createApiKeyAuthenticator } from './api-key.js';
import type { Authenticator } from './authenticator.js';
import { createBasicAuthenticator } from './basic-auth.js';
import { createJwtAuthenticator } from './jwt-verifier.js';
import { createOidcAuthenticator } from './oidc-jwks.js';
import type { Environment } from './secret-value.js';

export function createAuthenticator(spec: AuthSpec, env: Environment): Authenticator {
  switch (spec.type) {
    case 'basic':
      return createBasicAuthenticator(spec, env);
    case 'bearer':
      if (spec.jwt === undefined) throw new Error('bearer auth needs jwt-secret (HS256) or jwt-public-key (RS256/ES256)');
      return createJwtAuthenticator(spec, spec.jwt, env);
    case 'oidc':
      if (spec.oidc === undefined) throw new Error('oidc auth needs issuer-url (or jwks-url)');
      return createOidcAuthenticator(spec, spec.oidc);
    case 'api-key':
      return createApiKeyAuthenticator(spec, env);
  }
}
