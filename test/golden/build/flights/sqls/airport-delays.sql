-- Delays per day at one departure airport.
-- A flight counts as late from FLIGHTS_LATE_MINUTES minutes on (an operator setting,
-- whitelisted in flapi.yaml; 15 when unset). env values are trusted configuration and
-- are spliced as SQL text, unlike request values, which are always bound.
SELECT
  CAST(date AS DATE) AS day,
  count(*) AS departures,
  round(avg(delay), 2) AS avg_delay,
  count(*) FILTER (WHERE delay >= {{#env.FLIGHTS_LATE_MINUTES}}{{{env.FLIGHTS_LATE_MINUTES}}}{{/env.FLIGHTS_LATE_MINUTES}}{{^env.FLIGHTS_LATE_MINUTES}}15{{/env.FLIGHTS_LATE_MINUTES}}) AS late_departures
FROM flights
WHERE origin = '{{{params.iata}}}'
{{#params.date_from}}
  AND date >= CAST('{{{params.date_from}}}' AS DATE)
{{/params.date_from}}
{{#params.date_to}}
  AND date < CAST('{{{params.date_to}}}' AS DATE) + INTERVAL 1 DAY
{{/params.date_to}}
GROUP BY day
ORDER BY day
