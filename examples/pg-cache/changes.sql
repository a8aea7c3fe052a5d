-- Step 2 of the walkthrough: what happens in the shop while flapi serves the cache.
-- A new order, an order that ships, and order 3 deleted and placed again with the same id.
INSERT INTO shop.orders (id, customer_id, status, amount, ordered_at)
VALUES (20001, 42, 'placed', 99.90, clock_timestamp());

UPDATE shop.orders SET status = 'shipped' WHERE id = 1;

DELETE FROM shop.orders WHERE id = 3;
INSERT INTO shop.orders (id, customer_id, status, amount, ordered_at)
VALUES (3, 7, 'placed', 12.50, clock_timestamp());

-- A hard delete: incremental refreshes cannot see it (see README, "Deletes").
DELETE FROM shop.orders WHERE id = 4;

UPDATE shop.customers SET name = 'Customer 42 (renamed)' WHERE id = 42;
