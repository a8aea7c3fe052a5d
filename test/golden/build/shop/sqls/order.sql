SELECT id, tenant, sku, note, amount, placed
FROM orders
WHERE id = {{params.id}} AND tenant = {{params.tenant}}
