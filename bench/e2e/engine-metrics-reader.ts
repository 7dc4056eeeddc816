/** Reads one counter from the engine's Prometheus endpoint (`/metrics` on its management port). */

/**
 * The value of `name{labels}`; undefined when the endpoint or the series is not there.
 * Labels are matched exactly as written, e.g. `action="activated",type="EVENT_BASED_GATEWAY"`.
 */
export async function readEngineCounter(managementUrl: string, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const response = await fetch(`${managementUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) return undefined;
  const text = await response.text();
  const wanted = Object.entries(labels);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (wanted.every(([key, value]) => labelText.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf('}') + 1).trim());
  }
  return undefined;
}
