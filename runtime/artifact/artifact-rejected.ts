/** An artifact that arrived but must not be served: not DuckDB, truncated, or missing what endpoints read. */
export class ArtifactRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArtifactRejectedError';
  }
}
