-- Optional filters: each section is kept only when its parameter was given.
-- Every params tag reaches DuckDB as a bound parameter, also inside the quotes.
SELECT id, date, delay, distance, origin, destination
FROM flights
WHERE 1 = 1
{{#params.origin}}
  AND origin = '{{{params.origin}}}'
{{/params.origin}}
{{#params.destination}}
  AND destination = '{{{params.destination}}}'
{{/params.destination}}
{{#params.min_delay}}
  AND delay >= {{params.min_delay}}
{{/params.min_delay}}
{{#params.date_from}}
  AND date >= CAST('{{{params.date_from}}}' AS DATE)
{{/params.date_from}}
{{#params.date_to}}
  AND date < CAST('{{{params.date_to}}}' AS DATE) + INTERVAL 1 DAY
{{/params.date_to}}
ORDER BY id
