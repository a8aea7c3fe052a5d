SELECT o.id, o.customer_id, c.name AS customer, o.status, o.amount, o.ordered_at, o.updated_at
FROM pgcache.orders AS o
LEFT JOIN pgcache.customers AS c ON c.id = o.customer_id
WHERE o.id = {{params.id}}
