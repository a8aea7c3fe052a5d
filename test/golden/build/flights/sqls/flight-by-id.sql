-- A point lookup: `flights` is stored in id order, so DuckDB skips straight to the row.
SELECT id, date, delay, distance, origin, destination
FROM flights
WHERE id = {{params.id}}
