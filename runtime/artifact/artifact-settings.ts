/**
 * The artifact settings in force: the manifest's `duckdb.artifact` block with the
 * environment laid over it, read once at start. Deployments set environment variables
 * (a Lambda function's configuration, a container's env), not flapi.yaml.
 */
import { tmpdir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { Manifest } from '../manifest.js';

export interface ResolvedArtifactSettings {
  endpoint?: string;
  region?: string;
  forcePathStyle: boolean;
  pollIntervalMs: number;
  downloadDir: string;
  /** Downloads larger than one part are read in parts of this many bytes... */
  partSize: number;
  /** ...this many at a time (1: one stream, as a store without ranges is read anyway). */
  parts: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Default poll interval: a minute, a few cheap conditional requests an hour per instance. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/** Parts of 8 MiB, four at a time: what one instance's network takes from S3 or GCS without queueing. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const DEFAULT_PARTS = 4;

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2 };

/** `8MiB`, `512k`, `1048576`; undefined when unreadable or below 64 KiB (parts that small cost more than they save). */
export function parsePartSize(text: string | undefined): number | undefined {
  const match = /^\s*(\d+)\s*(k|kib|m|mib)?\s*$/i.exec(text ?? '');
  if (!match) return undefined;
  const bytes = Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()]!;
  return bytes >= 64 * 1024 ? bytes : undefined;
}

function parseParts(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n >= 1 && n <= 64 ? n : undefined;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `5m`, `1h`, `2d`, or a bare number of seconds; undefined when unreadable. */
export function parseDuration(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()]!);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** `download-dir` as written in flapi.yaml: relative to the project (flapi.yaml's folder, or a built project's). */
function projectPath(manifest: Manifest, dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  return isAbsolute(dir) ? dir : resolve(manifest.project?.root ?? '.', dir);
}

export function resolveArtifactSettings(manifest: Manifest, env: Env = process.env): ResolvedArtifactSettings {
  const configured = manifest.duckdb.artifact ?? {};
  const scheme = /^([a-z0-9]+):/i.exec(manifest.duckdb.dbPath ?? '')?.[1]?.toLowerCase();
  // An endpoint named for flapi wins over the cloud SDKs' own variables.
  const cloudEndpoint = scheme === 'gs' || scheme === 'gcs' ? nonEmpty(env['STORAGE_EMULATOR_HOST']) : nonEmpty(env['AWS_ENDPOINT_URL_S3']) ?? nonEmpty(env['AWS_ENDPOINT_URL']);
  const endpoint = nonEmpty(env['FLAPI_ARTIFACT_ENDPOINT']) ?? configured.endpoint ?? cloudEndpoint;
  const envInterval = parseDuration(nonEmpty(env['FLAPI_ARTIFACT_POLL_INTERVAL']));
  const pathStyle = nonEmpty(env['FLAPI_ARTIFACT_FORCE_PATH_STYLE']);
  const region = nonEmpty(env['FLAPI_ARTIFACT_REGION']) ?? configured.region ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']);
  return {
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(region !== undefined ? { region } : {}),
    forcePathStyle: pathStyle !== undefined ? pathStyle === 'true' || pathStyle === '1' : configured.forcePathStyle ?? endpoint !== undefined,
    pollIntervalMs: envInterval ?? configured.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    downloadDir: nonEmpty(env['FLAPI_ARTIFACT_DIR']) ?? projectPath(manifest, configured.downloadDir) ?? tmpdir(),
    partSize: parsePartSize(nonEmpty(env['FLAPI_ARTIFACT_PART_SIZE'])) ?? DEFAULT_PART_SIZE,
    parts: parseParts(nonEmpty(env['FLAPI_ARTIFACT_PARTS'])) ?? DEFAULT_PARTS,
  };
}
