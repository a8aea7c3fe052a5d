-- Another tenant's order id finds nothing: the tenant filter applies here too.
SELECT o.id, o.customer, o.amount, o.status, o.created_at
FROM orders o
JOIN tenant_users u ON u.tenant_id = o.tenant_id
WHERE u.username = {{auth.username}}
  AND o.id = {{params.id}}
