/**
 * Secrets the manifest refers to. A built server embeds its manifest, so `{{env.NAME}}`
 * secrets stay references there and are read from the environment of the running
 * process, once, when the app is created. A missing or empty one stops the app: an
 * empty secret must never be accepted as a credential.
 */
import type { SecretSpec } from '../manifest.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export class MissingSecretError extends Error {
  constructor(readonly variable: string, what: string) {
    super(`${what} comes from the environment variable ${variable}, which is not set; set it before starting the server`);
    this.name = 'MissingSecretError';
  }
}

/** The secret's text; `what` names it in the error when its variable is unset or empty. */
export function resolveSecret(spec: SecretSpec, env: Environment, what: string): string {
  if ('value' in spec) return spec.value;
  const value = env[spec.env];
  if (value === undefined || value === '') throw new MissingSecretError(spec.env, what);
  return value;
}

/** Like {@link resolveSecret}, but undefined for an unset variable (optional secrets). */
export function resolveOptionalSecret(spec: SecretSpec | undefined, env: Environment): string | undefined {
  if (spec === undefined) return undefined;
  if ('value' in spec) return spec.value;
  const value = env[spec.env];
  return value === undefined || value === '' ? undefined : value;
}
