-- Runs in PostgreSQL. The first refresh reads every order; later ones only the orders
-- changed since the high-water mark (the newest updated_at in the cache). A minute of
-- overlap catches a transaction that committed after a refresh but stamped its rows
-- before it; merging a row twice is harmless.
SELECT id, customer_id, status, amount, ordered_at, updated_at
FROM {{conn.schema}}.orders
{{#cache.previousSnapshotTimestamp}}
WHERE updated_at > TIMESTAMPTZ '{{cache.previousSnapshotTimestamp}}' - INTERVAL '1 minute'
{{/cache.previousSnapshotTimestamp}}
