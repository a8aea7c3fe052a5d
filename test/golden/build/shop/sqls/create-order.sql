INSERT INTO orders (id, tenant, sku, note, amount, placed)
VALUES ({{params.id}}, {{params.tenant}}, {{params.sku}}, NULL, {{params.amount}}, 1700000000999)
RETURNING id, tenant, sku, amount
