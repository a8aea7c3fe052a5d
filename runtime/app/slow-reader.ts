/**
 * Cuts off a streamed response whose client stopped reading. While the socket takes
 * bytes, nothing happens; once Node holds back writes (`writableNeedDrain`) and no
 * `drain` came for `idleMs`, the response is destroyed, which destroys its body stream
 * (Koa), which ends the DuckDB result and gives the connection back. Without this two
 * clients that read a response head and stop could hold every pooled connection.
 */
import type { ServerResponse } from 'node:http';

export function watchSlowReader(res: ServerResponse, idleMs: number, onStall: () => void): void {
  if (idleMs <= 0) return;
  let stalledSince: number | undefined;
  const tick = Math.max(50, Math.min(1000, Math.floor(idleMs / 4)));
  const timer = setInterval(() => {
    if (!res.writableNeedDrain) {
      stalledSince = undefined;
      return;
    }
    const now = Date.now();
    stalledSince ??= now;
    if (now - stalledSince < idleMs) return;
    clearInterval(timer);
    onStall();
    res.destroy();
  }, tick);
  timer.unref();
  const stop = () => clearInterval(timer);
  res.once('close', stop);
  res.once('finish', stop);
  res.on('drain', () => {
    stalledSince = undefined;
  });
}
