SELECT c.id, c.name, c.country, count(o.id) AS orders, coalesce(sum(o.amount), 0) AS revenue
FROM {{cache.schema}}.{{cache.table}} AS c
LEFT JOIN pgcache.orders AS o ON o.customer_id = c.id AND o.status <> 'cancelled'
WHERE 1 = 1
{{#params.country}} AND c.country = {{params.country}} {{/params.country}}
GROUP BY c.id, c.name, c.country
ORDER BY c.id
