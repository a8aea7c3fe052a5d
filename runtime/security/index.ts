export { ANONYMOUS, authOf, authTemplateValues, hasRole, identityKey, type AuthContext } from './auth-context.js';
export { apiKeyHash } from './api-key.js';
export { endpointAccessOf, type EndpointAccess, type EndpointAccessResult } from './endpoint-access.js';
export { hashPassword, isWeakPassword, storedPasswordKind, verifyPassword, type StoredPasswordKind } from './password-hash.js';
export { createSecurity, type Security, type SecurityOptions } from './security-middleware.js';
export { securityHeaders } from './security-headers.js';
export { redactFields, redactText } from './log-redaction.js';
export { MissingSecretError, resolveSecret } from './secret-value.js';
