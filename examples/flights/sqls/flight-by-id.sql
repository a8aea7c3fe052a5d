-- A point lookup: DuckDB reads the index flapi.yaml declares on flights(id).
SELECT id, date, delay, distance, origin, destination
FROM flights
WHERE id = {{params.id}}
