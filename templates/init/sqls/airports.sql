-- Request values are always bound as parameters, never spliced into the SQL text.
SELECT iata, name, city, state, country, latitude, longitude
FROM airports
WHERE 1 = 1
{{#params.state}}
  AND state = {{params.state}}
{{/params.state}}
ORDER BY iata
