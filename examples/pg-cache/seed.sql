-- The example's source data: schema `shop` with 200 customers and 20,000 orders.
-- Run with `npm run example:pg-seed` (or `psql "$FLAPI_PG_URL" -f examples/pg-cache/seed.sql`).
DROP SCHEMA IF EXISTS shop CASCADE;
CREATE SCHEMA shop;

CREATE TABLE shop.customers (
  id         integer PRIMARY KEY,
  name       text NOT NULL,
  country    text NOT NULL,
  created_at timestamptz NOT NULL
);

INSERT INTO shop.customers
SELECT g,
       'Customer ' || g,
       (ARRAY['DE', 'FR', 'NL', 'US', 'JP'])[1 + g % 5],
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour'
FROM generate_series(1, 200) AS g;

CREATE TABLE shop.orders (
  id          bigint PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES shop.customers (id),
  status      text NOT NULL,
  amount      numeric(12, 2) NOT NULL,
  ordered_at  timestamptz NOT NULL,
  -- The cursor of the incremental merge: every insert and update moves it forward.
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

INSERT INTO shop.orders (id, customer_id, status, amount, ordered_at, updated_at)
SELECT g,
       1 + g % 200,
       (ARRAY['placed', 'shipped', 'delivered', 'cancelled'])[1 + g % 4],
       round((5 + (g * 37) % 995)::numeric + (g % 100) / 100.0, 2),
       timestamptz '2024-03-01 00:00:00+00' + g * interval '7 minutes',
       timestamptz '2024-03-01 00:00:00+00' + g * interval '7 minutes'
FROM generate_series(1, 20000) AS g;

-- Keeps updated_at honest for changes made later (see changes.sql).
CREATE FUNCTION shop.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch_updated_at();
