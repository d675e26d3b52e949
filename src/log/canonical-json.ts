// Canonical JSON (RFC 8785, JSON Canonicalization Scheme): object keys sorted by UTF-16
// code units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes
// them. The same value always gives the same bytes, so its SHA-256 can be recomputed by
// anyone (docs/EVIDENCE.md).
//
// Written as one string builder rather than map/join: it runs once per stored record on
// the ingest path, and the allocation-heavy form cost about a tenth of ingest throughput.

export function canonicalJson(value: unknown): string {
  return write(value);
}

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
      // Number::toString, which is what JSON.stringify writes for a finite number (and RFC
      // 8785 asks for), without a trip into the serializer per number: the bbox lists of a
      // detection made that a third of its canonical JSON's time.
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>);
    default:
      // undefined, functions and symbols: what JSON.stringify returns for them at top level.
      return JSON.stringify(value);
  }
}

function writeArray(items: unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    const v = items[i];
    out += v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : write(v);
  }
  return out + ']';
}

function writeObject(obj: Record<string, unknown>): string {
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') return write((obj as { toJSON(): unknown }).toJSON());
  const keys = sortedKeys(obj);
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += quotedKey(k) + write(v);
  }
  return out + '}';
}

// Records repeat the same few dozen keys: quoting each once saves a string per member.
const KEY_CACHE = new Map<string, string>();

/** `"key":` for a member. */
export function quotedKey(k: string): string {
  let q = KEY_CACHE.get(k);
  if (q === undefined) {
    q = `${JSON.stringify(k)}:`;
    if (KEY_CACHE.size < 4096) KEY_CACHE.set(k, q);
  }
  return q;
}

/**
 * An object's own keys in UTF-16 code-unit order (what RFC 8785 asks for, and what `<`
 * compares). Records have a dozen or two keys: an insertion sort in place allocates
 * nothing, where Array.prototype.sort's work array was a tenth of ingest's garbage.
 */
export function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 64) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}
