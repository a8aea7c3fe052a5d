SELECT id, date, delay, distance, origin, destination
FROM flights
WHERE id > {{params.start}}
ORDER BY id
LIMIT 100000
