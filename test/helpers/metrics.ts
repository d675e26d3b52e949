// The gateway's /metrics, read by a Prometheus text-format parser.
import assert from 'node:assert/strict';
import parsePrometheus from 'parse-prometheus-text-format';

/** Scrapes once; the returned reader sums a family's samples whose labels match. */
export async function scrape(url: string): Promise<(name: string, labels?: Record<string, string>) => number> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  const families = parsePrometheus(await res.text());
  return (name, labels = {}) => {
    const family = families.find((f) => f.name === name);
    if (!family) return Number.NaN;
    return family.metrics
      .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
      .reduce((n, m) => n + Number(m.value), 0);
  };
}
