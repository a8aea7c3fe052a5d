-- Runs in DuckDB, on the cache.
SELECT id, customer_id, status, amount, ordered_at, updated_at
FROM {{cache.schema}}.{{cache.table}}
WHERE 1 = 1
{{#params.customer_id}} AND customer_id = {{params.customer_id}} {{/params.customer_id}}
{{#params.status}} AND status = {{params.status}} {{/params.status}}
ORDER BY id DESC
