/**
 * Shared start-up of the hand-written comparison servers: listen on the loopback port the
 * harness chose (PORT, HOST) and exit cleanly on SIGTERM so that `--cpu-prof` and the
 * harness's peak-RSS reading see a normal end.
 */
import { createServer, type RequestListener } from 'node:http';

export function listenFromEnv(handler: RequestListener, onClose?: () => Promise<void>): void {
  const port = Number(process.env['PORT'] ?? '0');
  const host = process.env['HOST'] ?? '127.0.0.1';
  const server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address !== null ? address.port : port;
    process.stdout.write(`listening on http://${host}:${actual}\n`);
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    void (onClose?.() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
