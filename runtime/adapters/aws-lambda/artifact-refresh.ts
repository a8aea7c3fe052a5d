/**
 * Artifact versions on Lambda. A frozen container runs no timers, so instead of polling
 * in the background the handler asks, as an invocation starts, whether a poll interval
 * has passed since the last look; if so, one conditional request (a 304 when nothing
 * changed) decides, and a new version is downloaded, checked and opened before the
 * invocation is answered from it. The app built at init keeps serving otherwise.
 */
import { ArtifactSource, ArtifactWatch, resolveArtifactSettings } from '../../artifact/index.js';
import { createApp, type FlapiApp } from '../../app/create-app.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class LambdaArtifactRefresh {
  private serving: FlapiApp;
  private watch: ArtifactWatch | undefined;
  private next: FlapiApp | undefined;
  private lastLook: number;
  private readonly intervalMs: number;

  /** Undefined when the app serves no artifact or polling is off (`poll-interval: 0`). */
  static for(app: FlapiApp, env: Env, now: () => number = Date.now): LambdaArtifactRefresh | undefined {
    if (app.artifact === undefined) return undefined;
    const intervalMs = resolveArtifactSettings(app.manifest, env).pollIntervalMs;
    return intervalMs > 0 ? new LambdaArtifactRefresh(app, env, intervalMs, now) : undefined;
  }

  private constructor(app: FlapiApp, private readonly env: Env, intervalMs: number, private readonly now: () => number) {
    this.serving = app;
    this.intervalMs = intervalMs;
    this.lastLook = now();
  }

  /** The app for a new version when one was due and found; undefined to keep the current one. */
  async ifDue(): Promise<FlapiApp | undefined> {
    if (this.now() - this.lastLook < this.intervalMs) return undefined;
    this.lastLook = this.now();
    this.watch ??= new ArtifactWatch({
      source: await ArtifactSource.create(this.serving.manifest, { env: this.env }),
      serving: this.serving.artifact!,
      logger: this.serving.logger,
      intervalMs: 0,
      manifest: () => this.serving.manifest,
      createApp: (loaded) => createApp(this.serving.manifest, { artifact: loaded, logger: this.serving.logger, env: this.env }),
      swap: async (app) => {
        this.next = app;
      },
    });
    if ((await this.watch.checkNow()) !== 'swapped' || this.next === undefined) return undefined;
    this.serving = this.next;
    this.next = undefined;
    return this.serving;
  }
}
