SELECT iata, name, city, state, country, latitude, longitude
FROM airports
WHERE iata = '{{{params.iata}}}'
