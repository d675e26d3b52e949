// The gateway's /metrics, read by a Prometheus text-format parser.
import assert from 'node:assert/strict';
import parsePrometheus from 'parse-prometheus-text-format';

export interface MetricsReader {
  /** The sum of a family's samples whose labels match (0 when none match; NaN: no family). */
  (name: string, labels?: Record<string, string>): number;
  /** How many samples match: a check that a value read above was there at all. */
  count(name: string, labels?: Record<string, string>): number;
}

/** Scrapes once; the returned reader sums a family's samples whose labels match. */
export async function scrape(url: string): Promise<MetricsReader> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  const families = parsePrometheus(await res.text());
  const matching = (name: string, labels: Record<string, string>) =>
    families.find((f) => f.name === name)?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  const read = (name: string, labels: Record<string, string> = {}) => {
    const found = matching(name, labels);
    return found === undefined ? Number.NaN : found.reduce((n, m) => n + Number(m.value), 0);
  };
  return Object.assign(read, { count: (name: string, labels: Record<string, string> = {}) => matching(name, labels)?.length ?? 0 });
}
