/** The cache template is DuckDB SQL (files, attached databases): DuckDB reads it directly. */
import { asSubquery, type CacheSource, type SourceRelation } from './cache-source.js';

export const duckdbSource: CacheSource = {
  kind: 'duckdb',
  async open(sql: string): Promise<SourceRelation> {
    return { sql: asSubquery(sql), done: Promise.resolve(), close: async () => undefined };
  },
};
