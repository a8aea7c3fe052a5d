-- Row-level security: the caller's tenant comes from their verified token (auth.username).
-- auth.* is bound as a parameter like any request value, so no request can name another tenant.
SELECT o.id, o.customer, o.amount, o.status, o.created_at
FROM orders o
JOIN tenant_users u ON u.tenant_id = o.tenant_id
WHERE u.username = {{auth.username}}
{{#params.status}}
  AND o.status = {{params.status}}
{{/params.status}}
ORDER BY o.id
