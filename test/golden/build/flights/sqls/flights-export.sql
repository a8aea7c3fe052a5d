-- The whole table, in the order it was loaded (id order). No ORDER BY on purpose: a
-- sort would hold all 3M rows before the first byte goes out; a plain scan streams.
-- max_rows is bound like any other value.
SELECT id, date, delay, distance, origin, destination
FROM flights
{{#params.origin}}
WHERE origin = '{{{params.origin}}}'
{{/params.origin}}
{{#params.max_rows}}
LIMIT {{params.max_rows}}
{{/params.max_rows}}
