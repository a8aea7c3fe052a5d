SELECT sku, count(*) AS orders, sum(amount) AS revenue
FROM orders
GROUP BY sku
ORDER BY sku
