/**
 * Some features need an npm package most projects never use (the AWS and Google Cloud
 * SDKs, the PostgreSQL driver, the Redis client, jose). `flapi build` leaves those out of a
 * built server whose project does not use the feature, so a server configured for one
 * at run time (say `FLAPI_DATABASE=s3://...`) must say what to install instead of failing
 * with a bare "Cannot find package".
 */
export class MissingPackageError extends Error {
  constructor(readonly packageName: string, readonly feature: string, options?: { cause?: unknown }) {
    super(
      `${feature} needs the npm package ${packageName}, which is not installed here ` +
        `(a built server includes it only when its project uses ${feature}): ` +
        `run \`npm install ${packageName}\` in the server's folder, or rebuild from a project that uses ${feature}`,
      options,
    );
    this.name = 'MissingPackageError';
  }
}

/** Whether `err` says that `packageName` itself (not something it needs) cannot be found. */
export function isMissingPackage(err: unknown, packageName: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (e.code !== 'ERR_MODULE_NOT_FOUND' && e.code !== 'MODULE_NOT_FOUND') return false;
  return typeof e.message === 'string' && e.message.includes(`'${packageName}'`);
}

/**
 * Runs `load` (a dynamic import of a module that imports `packageName`); a missing
 * package becomes a {@link MissingPackageError} naming the feature and the fix.
 */
export async function importOptional<T>(load: () => Promise<T>, packageName: string, feature: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (isMissingPackage(err, packageName)) throw new MissingPackageError(packageName, feature, { cause: err });
    throw err;
  }
}
