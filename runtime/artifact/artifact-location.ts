/**
 * Where an artifact lives, parsed once from `duckdb.db_path` / `FLAPI_DATABASE`. Every
 * store (local file, S3, GCS, HTTPS) starts from one of these shapes.
 */

export type ArtifactLocation =
  | { kind: 'local'; path: string }
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'gs'; bucket: string; key: string }
  | { kind: 'https'; url: URL };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** True for `s3://`, `gs://`, `http(s)://` paths: they are always served as artifacts. */
export function isRemotePath(path: string | undefined): boolean {
  return path !== undefined && SCHEME.test(path);
}

export class ArtifactLocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactLocationError';
  }
}

function bucketAndKey(scheme: string, path: string): { bucket: string; key: string } {
  const rest = path.slice(scheme.length + 3);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (bucket === '' || key === '') {
    throw new ArtifactLocationError(`${path} is not a ${scheme}://bucket/key address: it needs both a bucket and an object key`);
  }
  return { bucket, key };
}

export function parseArtifactLocation(path: string): ArtifactLocation {
  const scheme = SCHEME.exec(path)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'local', path };
  if (scheme === 's3' || scheme === 's3a') return { kind: 's3', ...bucketAndKey(scheme, path) };
  if (scheme === 'gs' || scheme === 'gcs') return { kind: 'gs', ...bucketAndKey(scheme, path) };
  if (scheme === 'https' || scheme === 'http') {
    let url: URL;
    try {
      url = new URL(path);
    } catch {
      throw new ArtifactLocationError(`${path} is not a valid URL`);
    }
    return { kind: 'https', url };
  }
  if (scheme === 'file') return { kind: 'local', path: new URL(path).pathname };
  throw new ArtifactLocationError(`${path}: unsupported scheme ${scheme}:// (use a local path, s3://, gs:// or https://)`);
}

/**
 * The location as it may appear in logs and `/_flapi/ready`: a signed HTTPS URL carries
 * its credentials in the query string and user info, so both are left out.
 */
export function describeLocation(location: ArtifactLocation): string {
  switch (location.kind) {
    case 'local':
      return location.path;
    case 's3':
      return `s3://${location.bucket}/${location.key}`;
    case 'gs':
      return `gs://${location.bucket}/${location.key}`;
    case 'https':
      return `${location.url.protocol}//${location.url.host}${location.url.pathname}`;
  }
}
