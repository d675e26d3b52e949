// Human-friendly sizes ("16MiB") and durations ("24h") for the config file and env vars.

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, kib: 1024,
  m: 1e6, mb: 1e6, mib: 1024 ** 2,
  g: 1e9, gb: 1e9, gib: 1024 ** 3,
  t: 1e12, tb: 1e12, tib: 1024 ** 4,
};

const DURATION_UNITS: Record<string, number> = {
  ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000,
};

function parseWithUnits(input: unknown, units: Record<string, number>, defaultUnit: string): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(input);
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase() || defaultUnit;
  const factor = units[unit];
  if (factor === undefined) return undefined;
  return Math.round(Number(m[1]) * factor);
}

/** "16MiB", "512kb", "1000" (bytes) → bytes; undefined when not a size. */
export function parseBytes(input: unknown): number | undefined {
  return parseWithUnits(input, SIZE_UNITS, 'b');
}

/** "24h", "15m", "500ms", "2000" (ms) → milliseconds; undefined when not a duration. */
export function parseDuration(input: unknown): number | undefined {
  return parseWithUnits(input, DURATION_UNITS, 'ms');
}
