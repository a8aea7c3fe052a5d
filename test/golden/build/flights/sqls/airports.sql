-- params.sort is enum-validated, so it is the one request value spliced as SQL text;
-- iata breaks ties so that pages are stable.
SELECT iata, name, city, state, country, latitude, longitude
FROM airports
WHERE 1 = 1
{{#params.state}}
  AND state = '{{{params.state}}}'
{{/params.state}}
ORDER BY {{params.sort}}, iata
