/**
 * The manifest a built project ships must not depend on the build machine. The compiler
 * made connection paths absolute; here each file or folder they name is planned for a
 * copy into `data/`, and the property becomes `./data/<name>`, which the runtime's
 * `loadManifest` resolves against the manifest's folder wherever the project runs.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { ConnectionSpec, Manifest } from '../../runtime/manifest.js';

export interface DataCopy {
  from: string;
  /** Relative to the output folder, e.g. `data/flights-3m.parquet`. */
  to: string;
}

export interface PortableManifest {
  manifest: Manifest;
  copies: DataCopy[];
  warnings: string[];
}

export interface PortableOptions {
  /** Copy data files into the output (default true); otherwise absolute paths stay. */
  copyData?: boolean;
}

const WILDCARD = /[*?[{]/;

/** For `/a/b/*.parquet`, the folder before the first wildcard segment (`/a/b`). */
function fixedPrefix(path: string): string {
  const parts = path.split(sep);
  const index = parts.findIndex((p) => WILDCARD.test(p));
  return index < 0 ? path : parts.slice(0, index).join(sep) || sep;
}

class DataFolder {
  readonly copies: DataCopy[] = [];
  private readonly bySource = new Map<string, string>();
  private readonly taken = new Set<string>();

  /** The output path (`data/x`) a local file or folder is copied to. */
  place(source: string): string {
    const known = this.bySource.get(source);
    if (known !== undefined) return known;
    const name = basename(source) || 'data';
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let target = `data/${name}`;
    for (let i = 2; this.taken.has(target); i++) target = `data/${stem}-${i}${ext}`;
    this.taken.add(target);
    this.bySource.set(source, target);
    this.copies.push({ from: source, to: target });
    return target;
  }
}

function portableValue(value: string, folder: DataFolder, where: string, warnings: string[]): string {
  if (!isAbsolute(value)) return value;
  const prefix = fixedPrefix(value);
  if (!existsSync(prefix)) {
    warnings.push(`${where}: ${value} does not exist at build time; the built server will look for it at that absolute path`);
    return value;
  }
  const target = folder.place(prefix);
  return `./${target}${value.slice(prefix.length).split(sep).join('/')}`;
}

function portableConnection(spec: ConnectionSpec, folder: DataFolder | undefined, warnings: string[]): ConnectionSpec {
  const properties: ConnectionSpec['properties'] = {};
  for (const [key, value] of Object.entries(spec.properties)) {
    const where = `connection "${spec.name}" property "${key}"`;
    if (typeof value !== 'string' || !isAbsolute(value)) properties[key] = value;
    else if (folder === undefined) {
      warnings.push(`${where}: ${value} is kept as an absolute path (data is not copied); the built server needs it there`);
      properties[key] = value;
    } else properties[key] = portableValue(value, folder, where, warnings);
  }
  return { ...spec, properties };
}

/** A local database file inside the project keeps its place relative to the manifest. */
function portableDbPath(dbPath: string | undefined, root: string, folder: DataFolder | undefined, warnings: string[]): string | undefined {
  if (dbPath === undefined || !isAbsolute(dbPath)) return dbPath;
  if (folder !== undefined && existsSync(dbPath) && statSync(dbPath).isFile()) return `./${folder.place(dbPath)}`;
  const rel = relative(root, dbPath);
  if (!rel.startsWith('..') && !isAbsolute(rel)) return `./${rel.split(sep).join('/')}`;
  warnings.push(`duckdb.db_path ${dbPath} is outside the project; set FLAPI_DATABASE where the built server runs`);
  return dbPath;
}

/**
 * TLS files stay where they are: a private key does not belong in a build output or an
 * image. Inside the project they keep their relative place; the user provides them there
 * (or terminates TLS in front of the server).
 */
function portableTls(tls: Manifest['server']['tls'], root: string, warnings: string[]): Manifest['server']['tls'] {
  if (tls === undefined) return undefined;
  const place = (file: string): string => {
    const rel = relative(root, file);
    return rel.startsWith('..') || isAbsolute(rel) ? file : `./${rel.split(sep).join('/')}`;
  };
  const portable = { certFile: place(tls.certFile), keyFile: place(tls.keyFile) };
  warnings.push(`https: the certificate and key are not copied into the build; provide ${portable.certFile} and ${portable.keyFile} where the server runs, or terminate TLS in front of it`);
  return portable;
}

/** Strings that still name the build machine's project folder, by JSON path. */
function machinePaths(value: unknown, root: string, path: string, found: string[]): void {
  if (typeof value === 'string') {
    if (value.includes(root + sep) || value === root) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => machinePaths(v, root, `${path}[${i}]`, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) machinePaths(v, root, path ? `${path}.${k}` : k, found);
  }
}

export function portableManifest(manifest: Manifest, options: PortableOptions = {}): PortableManifest {
  const warnings: string[] = [];
  const folder = options.copyData === false ? undefined : new DataFolder();
  const root = manifest.project.root;
  const connections: Manifest['connections'] = {};
  for (const [name, spec] of Object.entries(manifest.connections)) connections[name] = portableConnection(spec, folder, warnings);
  const portable: Manifest = {
    ...manifest,
    project: { ...manifest.project, root: '.' },
    server: { ...manifest.server, tls: portableTls(manifest.server.tls, root, warnings) },
    duckdb: { ...manifest.duckdb, dbPath: portableDbPath(manifest.duckdb.dbPath, root, folder, warnings) },
    connections,
  };
  if (portable.duckdb.dbPath === undefined) delete portable.duckdb.dbPath;
  if (portable.server.tls === undefined) delete portable.server.tls;
  const leftovers: string[] = [];
  machinePaths(portable, root, '', leftovers);
  for (const path of leftovers) warnings.push(`manifest ${path} names a path on this machine (${root}); the built server may not find it elsewhere`);
  return { manifest: portable, copies: folder?.copies ?? [], warnings };
}

/** Folder of each template file, for listing them in the README. */
export function templateDirs(files: readonly string[]): string[] {
  return [...new Set(files.map((f) => dirname(f)).filter((d) => d !== '.'))].sort();
}
