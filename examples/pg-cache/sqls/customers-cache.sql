-- Runs in PostgreSQL: the whole dimension, every refresh.
SELECT id, name, country, created_at
FROM {{conn.schema}}.customers
