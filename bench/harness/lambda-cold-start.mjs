// Runs in its own process: imports a built project's Lambda handler (dist/lambda.js), sends
// it one API Gateway v2 event and prints, as one JSON line, the time from process start to
// that first response, then the latency of `warm` more invocations with distinct ids.
const [entry, warmText] = process.argv.slice(2);
const warm = Number(warmText ?? 100);
const event = (path) => ({
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { host: 'bench.local', 'x-forwarded-proto': 'https' },
  requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'bench', routeKey: '$default', stage: '$default', timeEpoch: Date.now() },
  isBase64Encoded: false,
});
const { handler } = await import(entry);
const first = await handler(event('/flights/1'));
if (first.statusCode !== 200) throw new Error(`first invocation answered ${first.statusCode}: ${first.body}`);
const coldMs = performance.now();
const latencies = [];
for (let i = 0; i < warm; i++) {
  const started = performance.now();
  const result = await handler(event(`/flights/${1 + Math.floor(Math.random() * 3_000_000)}`));
  latencies.push(performance.now() - started);
  if (result.statusCode !== 200) throw new Error(`warm invocation answered ${result.statusCode}`);
}
process.stdout.write(`${JSON.stringify({ coldMs, latencies })}\n`);
process.exit(0);
