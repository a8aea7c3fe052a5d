-- Flights per route, joined twice with airports for the names of both ends.
SELECT
  f.origin,
  o.name AS origin_name,
  o.city AS origin_city,
  f.destination,
  d.name AS destination_name,
  d.city AS destination_city,
  count(*) AS flights,
  round(avg(f.delay), 2) AS avg_delay
FROM flights AS f
JOIN airports AS o ON o.iata = f.origin
JOIN airports AS d ON d.iata = f.destination
WHERE 1 = 1
{{#params.origin}}
  AND f.origin = '{{{params.origin}}}'
{{/params.origin}}
{{#params.state}}
  AND o.state = '{{{params.state}}}'
{{/params.state}}
GROUP BY ALL
ORDER BY flights DESC, f.origin, f.destination
