/**
 * Talks to a running server's `/_flapi/cache` routes for `flapi cache status|refresh`.
 * The URL defaults to the project's own port on loopback; the admin token, when there is
 * one, goes as a bearer credential.
 */
import type { CacheReport, CacheStatusJson, SnapshotJson } from '../../runtime/cache/cache-status.js';
import { findConfig } from '../config/find-config.js';
import { loadProject } from '../config/load-project.js';
import { normaliseConfig } from '../config/normalise-config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface AdminOptions {
  url?: string;
  adminToken?: string;
  config?: string;
}

export class AdminClientError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'AdminClientError';
  }
}

export interface AdminClient {
  readonly baseUrl: string;
  status(): Promise<CacheReport>;
  refresh(endpoint: string, full: boolean): Promise<{ status: number; body: RefreshAnswer }>;
}

export interface RefreshAnswer {
  endpoint?: string;
  status?: string;
  error?: string;
  snapshot?: SnapshotJson | null;
}

export function adminClient(dir: string, options: AdminOptions, env: Record<string, string | undefined> = process.env): AdminClient {
  const baseUrl = (options.url ?? projectUrl(dir, options.config, env)).replace(/\/+$/, '');
  const token = options.adminToken ?? env['FLAPI_ADMIN_TOKEN'];
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  const call = async (method: string, path: string): Promise<{ status: number; body: unknown }> => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, { method, headers });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new AdminClientError(`cannot reach a flapi server at ${baseUrl} (${cause?.code ?? cause?.message ?? (err as Error).message}); start it (flapi dev) or pass --url`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: text.slice(0, 200) };
    }
    if (response.status === 401 || response.status === 403) {
      throw new AdminClientError(`the server refused the admin request (${response.status}); pass --admin-token or set FLAPI_ADMIN_TOKEN`, response.status);
    }
    return { status: response.status, body };
  };
  return {
    baseUrl,
    async status() {
      const { status, body } = await call('GET', '/_flapi/cache');
      if (status !== 200) throw new AdminClientError(`GET /_flapi/cache answered ${status}: ${(body as RefreshAnswer).error ?? ''}`, status);
      return body as CacheReport;
    },
    async refresh(endpoint, full) {
      const { status, body } = await call('POST', `/_flapi/cache/${encodeURIComponent(endpoint)}/refresh${full ? '?full=true' : ''}`);
      return { status, body: body as RefreshAnswer };
    },
  };
}

/** `http://127.0.0.1:<port>` from the project's flapi.yaml (FLAPI_PORT and http-port as the server reads them). */
function projectUrl(dir: string, config: string | undefined, env: Record<string, string | undefined>): string {
  const found = findConfig({ dir, config, env });
  if ('error' in found) throw new AdminClientError(`${found.error}; or pass --url`);
  const diagnostics: Diagnostic[] = [];
  const project = loadProject(found.file, env, diagnostics, new Set());
  if (!project) throw new AdminClientError(`cannot read ${found.file}; pass --url`);
  const { server } = normaliseConfig(project, diagnostics);
  const host = server.host === '0.0.0.0' || server.host === '::' || server.host === '' ? '127.0.0.1' : server.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
}

export function describeCache(cache: CacheStatusJson): string {
  const last = cache.last_refresh;
  const age = last?.finished_at ? ago(new Date(last.finished_at)) : 'never';
  const parts = [
    `${cache.endpoint}`,
    `${cache.table} (${cache.mode}, ${cache.source})`,
    cache.refreshing ? `${cache.state}, refreshing` : cache.state,
    `${cache.rows ?? 0} rows`,
    `refreshed ${age}`,
  ];
  if (cache.next_refresh_at) parts.push(`next ${new Date(cache.next_refresh_at).toISOString()}`);
  if (cache.error) parts.push(`error: ${cache.error}`);
  return parts.join('  ');
}

function ago(when: Date): string {
  const seconds = Math.max(0, Math.round((Date.now() - when.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}
