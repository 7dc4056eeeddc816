// Healthcheck of an Orderflow HTTP service: `node docker/healthcheck.mjs <url>` exits 0 when the URL
// answers 2xx within the timeout, 1 otherwise. The URLs the compose file uses read the service's database,
// so "healthy" means migrated, listening and connected. Most are operator endpoints: the service's own
// read token, or else its ops token, goes along. No dependencies: it runs in the slim image.
const url = process.argv[2];
if (!url) {
  process.stderr.write('Expected a URL: node docker/healthcheck.mjs http://127.0.0.1:3000/products\n');
  process.exit(2);
}
const token = process.env.ORDERFLOW_OPS_READ_TOKEN || process.env.ORDERFLOW_OPS_TOKEN;
try {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(4000) });
  if (!response.ok) process.stderr.write(`Expected ${url} to answer 2xx, but it answered ${response.status}\n`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`Expected ${url} to answer, but ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
