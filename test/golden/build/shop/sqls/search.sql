SELECT o.id, o.sku, o.amount, count(*) OVER () AS matching
FROM orders AS o
WHERE o.tenant = {{params.tenant}}
{{#params.sku}}
  AND o.sku = '{{{params.sku}}}'
{{/params.sku}}
ORDER BY o.id
