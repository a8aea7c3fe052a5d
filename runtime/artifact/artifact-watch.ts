/**
 * Keeps a server on the newest good version of its artifact. Each poll is a conditional
 * fetch; a new version is checked and opened beside the old one, its app built (with a
 * fresh response cache), and then swapped in: new requests go to it while in-flight ones
 * finish on the old version, which is closed and deleted after. A bad version is logged
 * and skipped, and the old one keeps serving.
 */
import type { Logger } from '../app/logger.js';
import type { Manifest } from '../manifest.js';
import { ArtifactPoller } from './artifact-poller.js';
import { ArtifactRejectedError } from './artifact-rejected.js';
import type { ArtifactSource, ArtifactVersion, LoadedArtifact } from './artifact-source.js';

/** What the watch needs of an app built for a version: the app layer sits above this one. */
export interface ServingApp {
  close(): Promise<void>;
}

export interface ArtifactWatchOptions<App extends ServingApp = ServingApp> {
  source: ArtifactSource;
  /** The version being served at start. */
  serving: ArtifactVersion;
  logger: Logger;
  /** The manifest a new version must serve (checked against it before the swap). */
  manifest(): Manifest;
  /** Builds the app for a new version; the app owns `loaded` from then on. */
  createApp(loaded: LoadedArtifact): Promise<App>;
  /** Routes new requests to `app`; resolves once the old version has drained and closed. */
  swap(app: App): Promise<void>;
  /** Poll interval; 0 means only explicit `checkNow()` calls look for a new version. */
  intervalMs: number;
}

/** `failed`: the store could not be read (logged; the poller backs off). */
export type CheckOutcome = 'unchanged' | 'swapped' | 'rejected' | 'failed';

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}

export class ArtifactWatch<App extends ServingApp = ServingApp> {
  private serving: ArtifactVersion;
  /** The last version fetched, good or bad, so a rejected one is not downloaded again. */
  private lastSeen: string | undefined;
  private readonly poller: ArtifactPoller;
  private outcome: CheckOutcome = 'unchanged';
  private stopped = false;

  constructor(private readonly options: ArtifactWatchOptions<App>) {
    this.serving = options.serving;
    this.lastSeen = options.serving.etag;
    this.poller = new ArtifactPoller({
      intervalMs: options.intervalMs,
      check: async (signal) => {
        this.outcome = 'failed';
        this.outcome = await this.check(signal);
      },
      onError: (err, retryInMs) => {
        options.logger.warn(
          `artifact ${options.source.description}: looking for a new version failed (${(err as Error).message}); retrying in ${seconds(retryInMs)}; still serving version ${this.serving.version}`,
          { artifact: options.source.description, serving: this.serving.version, error: (err as Error).message },
        );
      },
    });
  }

  /** The version new requests are served from. */
  get current(): ArtifactVersion {
    return this.serving;
  }

  start(): void {
    this.poller.start();
  }

  /** Looks for a new version now (joining a poll in progress). */
  async checkNow(): Promise<CheckOutcome> {
    this.outcome = 'unchanged';
    await this.poller.checkNow();
    return this.outcome;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.poller.stop();
  }

  private async check(signal: AbortSignal): Promise<CheckOutcome> {
    const { source, logger } = this.options;
    const fetched = await source.fetch(this.lastSeen, signal);
    if (fetched === undefined) return 'unchanged';
    this.lastSeen = fetched.etag;
    if (fetched.etag !== undefined && fetched.etag === this.serving.etag) {
      // Back to the version being served (after a rejected one): nothing to swap.
      await source.discard(fetched);
      return 'unchanged';
    }
    const fields = { artifact: source.description, etag: fetched.etag, serving: this.serving.version };
    let loaded: LoadedArtifact;
    try {
      loaded = await source.open(fetched, { manifest: this.options.manifest() });
    } catch (err) {
      if (!(err instanceof ArtifactRejectedError)) throw err;
      logger.error(
        `artifact ${source.description} (ETag ${fetched.etag ?? 'none'}, ${fetched.size} bytes) rejected: ${err.message}; still serving version ${this.serving.version}`,
        { ...fields, reason: err.message },
      );
      return 'rejected';
    }
    let app: App;
    try {
      app = await this.options.createApp(loaded);
    } catch (err) {
      await loaded.dispose();
      logger.error(`artifact ${source.description}: the new version cannot be served (${(err as Error).message}); still serving version ${this.serving.version}`, fields);
      return 'rejected';
    }
    if (this.stopped) {
      await app.close();
      return 'unchanged';
    }
    const previous = this.serving;
    this.serving = loaded.version;
    // Draining the old version may take as long as its slowest request; polling goes on meanwhile.
    this.options.swap(app).catch((err: unknown) => {
      logger.error(`artifact ${source.description}: closing version ${previous.version} failed: ${(err as Error).message}`, fields);
    });
    logger.info(`artifact ${source.description}: now serving version ${loaded.version.version} (was ${previous.version})`, {
      artifact: source.description, version: loaded.version.version, etag: loaded.version.etag, previous: previous.version,
    });
    return 'swapped';
  }
}
