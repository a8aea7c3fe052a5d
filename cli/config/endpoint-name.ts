/** `GET /flights/:id` → `get_flights_id`: stable, identifier-safe, unique per route. */
export function endpointNameFromRoute(method: string, urlPath: string): string {
  const words = urlPath
    .split('/')
    .map((segment) => segment.replace(/^[:{]|}$/g, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, ''))
    .filter((segment) => segment !== '');
  return [method.toLowerCase(), ...words].join('_').toLowerCase();
}
