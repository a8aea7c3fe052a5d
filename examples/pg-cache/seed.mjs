#!/usr/bin/env node
// Runs an SQL file of this example against $FLAPI_PG_URL with the `pg` driver, so the
// walkthrough needs no psql: `node examples/pg-cache/seed.mjs [changes.sql]`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const url = process.env.FLAPI_PG_URL;
if (!url) {
  console.error('set FLAPI_PG_URL, e.g. FLAPI_PG_URL=postgres://postgres@127.0.0.1:5432/test');
  process.exit(2);
}
const file = join(dirname(fileURLToPath(import.meta.url)), process.argv[2] ?? 'seed.sql');
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await client.query(readFileSync(file, 'utf8'));
  const { rows } = await client.query('SELECT (SELECT count(*) FROM shop.customers) AS customers, (SELECT count(*) FROM shop.orders) AS orders');
  console.log(`${file}: done; shop has ${rows[0].customers} customers and ${rows[0].orders} orders`);
} finally {
  await client.end();
}
