/**
 * The security audit of `flapi validate`. Findings are warnings marked `security`, which
 * `validate --strict` turns into errors: endpoints that write without auth, plaintext or
 * MD5 passwords, secrets written inline instead of `{{env.X}}`, wildcard CORS with
 * credentials, MCP tools reachable without auth, request values choosing a file. Secrets the config takes from the
 * environment but that are unset now get a plain warning: the server would not start.
 */
import { isAbsolute, relative } from 'node:path';
import type { AuthSpec, Manifest, SecretSpec } from '../../runtime/manifest.js';
import { effectiveAuth, endpointAuth } from '../../runtime/security/effective-auth.js';
import { storedPasswordKind } from '../../runtime/security/password-hash.js';
import type { LoadedProject } from '../config/load-project.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import { envReference } from '../config/secret-source.js';
import type { YamlDocument, YamlPath } from '../config/yaml-document.js';
import { asMap, asString } from '../config/yaml-values.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkFileArguments } from './check-file-arguments.js';

interface AuditContext {
  diagnostics: Diagnostic[];
  env: LoadedProject['env'];
}

function warn(ctx: AuditContext, doc: YamlDocument, path: YamlPath, code: string, message: string, security = true): void {
  ctx.diagnostics.push({ severity: 'warning', ...doc.locate(path), code, message, ...(security ? { security: true } : {}) });
}

/** A secret in a config value: inline text is a finding; `{{env.X}}` must be set to start. */
function checkSecret(ctx: AuditContext, doc: YamlDocument, path: YamlPath, what: string): void {
  let value: unknown = doc.data;
  for (const key of path) value = asMap(value)[String(key)] ?? (Array.isArray(value) ? value[Number(key)] : undefined);
  if (typeof value !== 'string') return;
  const variable = envReference(doc, path);
  if (variable !== undefined) {
    if ((ctx.env.get(variable) ?? '') === '') {
      warn(ctx, doc, path, 'secret-unset', `${what} comes from ${variable}, which is not set here; the server refuses to start without it`, false);
    }
    return;
  }
  warn(ctx, doc, path, 'inline-secret', `${what} is written inline; write '{{env.NAME}}' (whitelisted) so it stays out of the config and of built servers`);
}

function checkAuthBlock(ctx: AuditContext, doc: YamlDocument, path: YamlPath, spec: AuthSpec | undefined, global: AuthSpec | undefined): void {
  if (spec === undefined) return;
  const data = asMap(path.reduce<unknown>((v, k) => asMap(v)[String(k)], doc.data));
  const users = Array.isArray(data.users) ? data.users : [];
  users.forEach((raw, index) => {
    const user = asMap(raw);
    const passwordPath = [...path, 'users', index, 'password'];
    const password = asString(user.password);
    if (password === undefined) return;
    if (envReference(doc, passwordPath) !== undefined) {
      checkSecret(ctx, doc, passwordPath, `the password of user \`${asString(user.username) ?? index}\``);
      return;
    }
    const kind = storedPasswordKind(password);
    if (kind === 'plaintext' || kind === 'md5') {
      warn(ctx, doc, passwordPath, 'weak-password', `${kind === 'md5' ? 'MD5-hashed' : 'plaintext'} password for user \`${asString(user.username) ?? index}\`; ` +
        "store a scrypt, PBKDF2 or bcrypt hash instead (`flapi auth hash-password`) or '{{env.NAME}}'");
    }
  });
  if (data['jwt-secret'] !== undefined) checkSecret(ctx, doc, [...path, 'jwt-secret'], 'the JWT secret');
  if (data['jwt-public-key'] !== undefined && envReference(doc, [...path, 'jwt-public-key']) !== undefined) {
    checkSecret(ctx, doc, [...path, 'jwt-public-key'], 'the JWT public key');
  }
  if (asMap(data.oidc)['client-secret'] !== undefined) checkSecret(ctx, doc, [...path, 'oidc', 'client-secret'], 'the OIDC client secret');
  const keys = Array.isArray(data.keys) ? data.keys : [];
  keys.forEach((raw, index) => {
    if (asMap(raw).key !== undefined) checkSecret(ctx, doc, [...path, 'keys', index, 'key'], `API key \`${asString(asMap(raw).name) ?? index + 1}\``);
  });
  if (spec.enabled && effectiveAuth(spec, global)?.method === spec && !hasMethod(spec)) {
    ctx.diagnostics.push({ severity: 'error', ...doc.locate(path), code: 'auth-no-method',
      message: 'this auth block names no users, keys or token settings and there is no global auth to inherit them from; nobody could ever be let in' });
  }
}

function hasMethod(spec: AuthSpec): boolean {
  return spec.users !== undefined || spec.jwt !== undefined || spec.oidc !== undefined || spec.apiKey !== undefined;
}

function secretIsEnv(secret: SecretSpec | undefined): boolean {
  return secret !== undefined && 'env' in secret;
}

export function checkSecurity(project: LoadedProject, manifest: Manifest, endpoints: readonly CompiledEndpoint[], diagnostics: Diagnostic[]): void {
  const ctx: AuditContext = { diagnostics, env: project.env };
  const main = project.main;
  const data = asMap(main.data);
  checkAuthBlock(ctx, main, ['auth'], manifest.auth, undefined);
  checkAuthBlock(ctx, main, ['mcp', 'auth'], manifest.mcp?.auth, manifest.auth);

  const store = manifest.rateLimit?.store;
  const storeKey = data.rate_limit !== undefined ? 'rate_limit' : 'rate-limit';
  if (store?.type === 'redis') {
    const url = asString(asMap(asMap(data[storeKey]).store).url) ?? '';
    if (secretIsEnv(store.url) || /^[a-z]+:\/\/[^/@]*:[^/@]+@/i.test(url)) checkSecret(ctx, main, [storeKey, 'store', 'url'], 'the Redis URL (it carries a password)');
  }
  if (asMap(data.admin).token !== undefined) checkSecret(ctx, main, ['admin', 'token'], 'the admin token');

  const cors = manifest.cors;
  if (cors?.enabled && cors.allowedOrigins.includes('*')) {
    const at = ['cors', asMap(data.cors)['allow-origins'] !== undefined ? 'allow-origins' : 'allowed-origins'];
    if (cors.credentials) {
      warn(ctx, main, at, 'cors-wildcard-credentials', "`*` with credentials would let any website call the API as the signed-in user; it is ignored: list the origins instead");
    } else if (manifest.auth?.enabled) {
      warn(ctx, main, at, 'cors-wildcard', '`*` lets any website call this authenticated API from a browser; list the origins that need it');
    }
  }

  // `mcp.auth: { enabled: false }` opens /mcp on purpose: no finding for its tools either.
  const mcpGuarded = effectiveAuth(manifest.mcp?.auth, manifest.auth) !== undefined || manifest.mcp?.auth?.enabled === false;
  for (const endpoint of endpoints) {
    const { spec, doc } = endpoint;
    checkAuthBlock(ctx, doc, ['auth'], spec.auth, manifest.auth);
    // `auth: { enabled: false }` marks an endpoint as deliberately open: no finding.
    const guarded = endpointAuth(spec, manifest) !== undefined || spec.auth?.enabled === false;
    if (spec.urlPath !== undefined && spec.operation.type === 'write' && !guarded) {
      warn(ctx, doc, ['url-path'], 'write-without-auth', `${spec.method} ${spec.urlPath} changes data and anyone can call it; add an \`auth:\` block here or a global one in flapi.yaml`);
    }
    for (const [file, key] of [[endpoint.templatePath, ['template-source']], [endpoint.cacheTemplatePath, ['cache', 'template-file']]] as const) {
      const rel = file === undefined ? '' : relative(project.root, file);
      if (rel.startsWith('..') || isAbsolute(rel)) {
        warn(ctx, doc, key, 'template-outside-project', `the template ${file} lies outside the project folder; keep templates under ${project.root} so a config cannot pull in arbitrary files`);
      }
    }
    checkFileArguments(endpoint, diagnostics);
    if (spec.mcp?.tool !== undefined && !guarded && !mcpGuarded) {
      warn(ctx, doc, ['mcp-tool'], 'mcp-tool-without-auth', `MCP tool \`${spec.mcp.tool.name || spec.name}\` can be called by anyone who reaches /mcp; add auth (global, mcp.auth or this endpoint's)`);
    }
  }
}
