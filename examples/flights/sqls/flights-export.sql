-- The whole table in id order; max_rows is bound like any other value.
SELECT id, date, delay, distance, origin, destination
FROM flights
{{#params.origin}}
WHERE origin = '{{{params.origin}}}'
{{/params.origin}}
ORDER BY id
{{#params.max_rows}}
LIMIT {{params.max_rows}}
{{/params.max_rows}}
