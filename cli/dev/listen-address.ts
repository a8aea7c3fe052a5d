/**
 * Where `flapi dev` listens: the command-line flag wins over FLAPI_PORT / FLAPI_HOST,
 * which win over flapi.yaml (`http-port`, `http-host`), which wins over the defaults.
 */
import type { Manifest } from '../../runtime/manifest.js';

export interface ListenFlags {
  port?: string;
  host?: string;
}

export interface ListenAddress {
  port: number;
  host: string;
}

function parsePort(text: string, source: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`${source} must be a port number (0-65535), got "${text}"`);
  return port;
}

export function listenAddress(
  manifest: Pick<Manifest, 'server'>,
  flags: ListenFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ListenAddress {
  let port: number;
  if (flags.port !== undefined) port = parsePort(flags.port, '--port');
  else if (env['FLAPI_PORT']) port = parsePort(env['FLAPI_PORT'], 'FLAPI_PORT');
  else port = manifest.server.port || 8080;
  const host = flags.host ?? (env['FLAPI_HOST'] || manifest.server.host || '127.0.0.1');
  return { port, host };
}
