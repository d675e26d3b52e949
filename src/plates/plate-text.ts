// Plate text as compared by the hotlist and the search index. Cameras and people write the
// same plate differently ("กข 1234", "กข-1234", "กข๑๒๓๔", "ab.1234"): both sides are
// normalised to one form, and "fuzzy" allows one character off (an OCR misread).

const THAI_DIGIT_ZERO = 0x0e50; // ๐ … ๙ are U+0E50 … U+0E59
const SEPARATORS = /[\s\-\u2010-\u2015.\u00b7_]/gu;

/** Thai digits → 0–9, whitespace/dashes/dots removed, Latin letters upper-cased. */
export function normalisePlate(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(SEPARATORS, '')) {
    const cp = ch.codePointAt(0)!;
    out += cp >= THAI_DIGIT_ZERO && cp <= THAI_DIGIT_ZERO + 9 ? String(cp - THAI_DIGIT_ZERO) : ch;
  }
  return out.toUpperCase();
}

/** What a normalised plate may consist of: letters (with their marks) and digits. */
export function isPlateKey(key: string): boolean {
  return key.length >= 2 && key.length <= 32 && /^[\p{L}\p{M}\p{N}]+$/u.test(key);
}

/** True when a and b differ by at most one inserted, deleted or replaced character. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  // Past the first difference the rest must agree: after a replacement (same length) or
  // after skipping the extra character of the longer one.
  const skip = short.length === long.length ? 1 : 0;
  for (let j = i + skip; j < short.length; j++) if (short[j] !== long[j + 1 - skip]) return false;
  return true;
}

/** Every string made by deleting one character (the symmetric-delete index of fuzzy lookups:
 *  a and b are within one edit only if they share a member of {a, b, deletions(a), deletions(b)}). */
export function deletions(key: string): string[] {
  const chars = [...key];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) out.add(chars.slice(0, i).join('') + chars.slice(i + 1).join(''));
  return [...out];
}
