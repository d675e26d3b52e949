// Camera timestamps → UTC. Deployed cameras send naive local time with microseconds
// ("2025-08-24T17:53:54.123456", zone from config) or SQLite form ("2025-08-24 10:53:54");
// the contract says ISO 8601 UTC. All are accepted; the raw string is kept elsewhere.

const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Offset of `timeZone` from UTC, in ms, at the UTC instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = zoneFormatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Parses a camera timestamp to epoch ms. Strings with an offset or Z are taken as given;
 * naive strings are wall-clock time in `timeZone`. Numbers are epoch seconds (or ms when
 * above 1e12). Returns undefined when the value is not a valid point in time.
 */
export function parseCameraTime(value: unknown, timeZone: string): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return Math.round(value > 1e12 ? value : value * 1000);
  }
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const m = ISO_LIKE.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const wall = Date.UTC(year!, month! - 1, day!, hour, minute, second, ms);
  // Reject rolled-over dates such as 2025-02-30 or 25:00.
  const check = new Date(wall);
  if (
    Number.isNaN(wall) || check.getUTCFullYear() !== year || check.getUTCMonth() !== month! - 1 ||
    check.getUTCDate() !== day || check.getUTCHours() !== hour || check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  const zone = m[8];
  if (zone) {
    if (zone === 'Z' || zone === 'z') return wall;
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0);
    if (offsetMin > 18 * 60) return undefined;
    return wall - sign * offsetMin * 60_000;
  }
  // Naive: find the UTC instant whose wall clock in timeZone is `wall` (twice, for DST edges).
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone);
  return utc;
}
