/**
 * `jose` (~50 modules) loads with the first token to verify, not with the server: most
 * servers never see a JWT, and every cold start would pay for it.
 */
import { importOptional } from '../optional-package.js';

export type Jose = typeof import('jose');

let loaded: Jose | undefined;

export async function loadJose(): Promise<Jose> {
  loaded ??= await importOptional(() => import('jose'), 'jose', 'JWT and OIDC authentication');
  return loaded;
}

/** The module once {@link loadJose} has run; before that no jose error can exist. */
export function joseIfLoaded(): Jose | undefined {
  return loaded;
}
