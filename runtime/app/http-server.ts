/**
 * The HTTP listener, kept apart from the app it serves so the app can be replaced while
 * the port stays open (`flapi dev` reloads, artifact swaps). Each app generation counts
 * its in-flight requests; a replaced one is closed only once they have finished.
 */
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { HttpLimits } from '../manifest.js';
import { checkingIntervalMs, DEFAULT_HTTP_LIMITS } from '../security/http-limits.js';
import type { FlapiApp } from './create-app.js';

export interface ListenOptions {
  port: number;
  host: string;
  /** Header size and count, header and request timeouts (default: runtime/security/http-limits.ts). */
  limits?: HttpLimits;
  /** Serve HTTPS with this PEM certificate and key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface HttpServerHandle {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** The app answering new requests. */
  readonly current: FlapiApp;
  /** Routes new requests to `next`; resolves when the old app has drained and closed. */
  swap(next: FlapiApp): Promise<void>;
  /**
   * Stops accepting, lets in-flight requests finish, closes the app. With `deadlineMs`,
   * requests still running after it have their queries interrupted and their
   * connections closed, so closing never waits on a slow query or client.
   */
  close(deadlineMs?: number): Promise<void>;
}

interface Generation {
  app: FlapiApp;
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  active: number;
  idle: (() => void) | undefined;
}

function generation(app: FlapiApp): Generation {
  return { app, handle: app.callback(), active: 0, idle: undefined };
}

function whenIdle(gen: Generation): Promise<void> {
  if (gen.active === 0) return Promise.resolve();
  return new Promise((resolve) => {
    gen.idle = resolve;
  });
}

/** Resolves true if `done` settles within `ms`, false otherwise. */
function within(done: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms, false);
    void done.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Stops every query running on the app's database; their requests fail and return their connections. */
function interruptQueries(app: FlapiApp): void {
  for (const member of app.database.pool.members) member.connection.interrupt();
}

function tooManyHeaders(res: ServerResponse, max: number): void {
  const body = JSON.stringify({ error: `too many request headers (at most ${max})` });
  res.writeHead(431, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function serveApp(initial: FlapiApp, options: ListenOptions): Promise<HttpServerHandle> {
  let current = generation(initial);
  let closing: Promise<void> | undefined;

  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    // Node keeps at most maxHeadersCount headers and drops the rest without a word; one
    // more is kept than allowed, so a request past the limit is seen and refused.
    if (req.rawHeaders.length / 2 > limits.maxHeadersCount) return tooManyHeaders(res, limits.maxHeadersCount);
    const gen = current;
    gen.active++;
    res.once('close', () => {
      gen.active--;
      if (gen.active === 0 && gen.idle !== undefined) gen.idle();
    });
    gen.handle(req, res);
  };
  const serverOptions: ServerOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestReceiveTimeoutMs,
    connectionsCheckingInterval: checkingIntervalMs(limits),
  };
  const server: Server = options.tls ? createTlsServer({ ...serverOptions, ...options.tls }, handler) : createServer(serverOptions, handler);
  server.maxHeadersCount = limits.maxHeadersCount + 1;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? 'https' : 'http'}://${displayHost(options.host)}:${port}`,
    port,
    server,
    get current() {
      return current.app;
    },
    async swap(next) {
      const old = current;
      current = generation(next);
      await whenIdle(old);
      await old.app.close();
    },
    close(deadlineMs) {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const idle = whenIdle(current);
        if (deadlineMs === undefined) await idle;
        else if (!(await within(idle, deadlineMs))) interruptQueries(current.app);
        server.closeAllConnections();
        await stopped;
        await current.app.close();
      })();
      return closing;
    },
  };
}
