// Approximate JSON size of a decoded Socket.IO payload. Socket.IO hands us objects, not
// bytes; walking them is cheap (the big parts are a few base64 strings) and is enough to
// enforce the message-size limit with a proper error instead of a dropped connection.

export function approxJsonBytes(value: unknown, depth = 0): number {
  if (depth > 64) return 0;
  if (typeof value === 'string') return value.length + 2;
  if (value === null || typeof value !== 'object') return 8;
  if (Buffer.isBuffer(value)) return value.length;
  let total = 2;
  if (Array.isArray(value)) {
    for (const v of value) total += approxJsonBytes(v, depth + 1) + 1;
    return total;
  }
  // Keys, not entries: one array per object rather than one per member (this runs twice
  // for every Socket.IO record).
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) total += k.length + 4 + approxJsonBytes(obj[k], depth + 1);
  return total;
}
