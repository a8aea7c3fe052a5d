/**
 * Runs a check every interval, one at a time: the next check is scheduled only when the
 * previous one has finished, so a slow download never overlaps another. A failing check
 * backs off exponentially (to at most `maxBackoffMs`) and the interval returns after the
 * first success. The timer is unref'd: polling alone never keeps a process alive.
 */

export interface PollerOptions {
  intervalMs: number;
  /** Longest wait after repeated failures; default 10 × interval, at most 15 minutes. */
  maxBackoffMs?: number;
  check(signal: AbortSignal): Promise<void>;
  /** Told about each failure and the delay before the next try. */
  onError(err: unknown, retryInMs: number): void;
}

export class ArtifactPoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    if (this.stopped || this.options.intervalMs <= 0) return;
    this.schedule(this.options.intervalMs);
  }

  /** Runs a check now (or joins the one running); never throws. */
  checkNow(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops scheduling, aborts a check in progress and waits for it to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.checkNow().then(() => this.schedule(this.nextDelay()));
    }, ms);
    this.timer.unref();
  }

  private nextDelay(): number {
    const { intervalMs } = this.options;
    if (this.failures === 0) return intervalMs;
    const max = this.options.maxBackoffMs ?? Math.min(10 * intervalMs, 15 * 60_000);
    return Math.min(max, intervalMs * 2 ** this.failures);
  }

  private async run(): Promise<void> {
    try {
      await this.options.check(this.abort.signal);
      this.failures = 0;
    } catch (err) {
      if (this.stopped) return;
      this.failures++;
      this.options.onError(err, this.nextDelay());
    }
  }
}
