/**
 * Reads a `/metrics` answer over HTTP and finds values in it: a small parser of Prometheus' text
 * format (exposition format 0.0.4), enough for the samples prom-client writes.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class Scrape {
  constructor(
    readonly contentType: string,
    readonly samples: readonly Sample[],
    /** Every metric family the answer declares (`# TYPE` lines), samples or not: a labelled histogram such as the GC's has none until first observed. */
    readonly families: ReadonlySet<string> = new Set(),
  ) {}

  /** The sum of every sample of `name` whose labels include `labels`; 0 when there is none, as for a counter never incremented. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, sample) => sum + sample.value, 0);
  }

  /** Whether any sample of `name` carries `labels`. */
  has(name: string, labels: Record<string, string> = {}): boolean {
    return this.matching(name, labels).length > 0;
  }

  private matching(name: string, labels: Record<string, string>): Sample[] {
    return this.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  }
}

/** GETs the URL and parses it; fails naming the status when it is not 200. */
export async function scrape(url: string, init: RequestInit = {}): Promise<Scrape> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`Expected 200 from ${url}, but got ${response.status}: ${text.slice(0, 200)}`);
  return new Scrape(response.headers.get('content-type') ?? '', parsePrometheusText(text), declaredFamilies(text));
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const typeLine = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /;

function declaredFamilies(text: string): Set<string> {
  return new Set(text.split('\n').flatMap((line) => typeLine.exec(line)?.[1] ?? []));
}

export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`Expected a Prometheus sample line, but got ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(labelPair)) labels[key!] = value!.replace(/\\(.)/g, (_all, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}
