// UTF-8 bytes of short strings, cut from a shared slab. Buffer.from measures a string of
// more than 1 KB before writing it (two passes) and allocates each time; with the two-byte
// strings that Thai plate text makes, that cost more than hashing the bytes (1.55 vs
// 0.78 us for a 1.1 KB string). A slab lives until the last buffer cut from it is gone, so
// this is for bytes that live briefly: a record until its batch is written, a publish until
// its PUBACK — not for anything kept.

const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

export function utf8Bytes(s: string): Buffer {
  const most = s.length * 3; // UTF-8 bytes per UTF-16 code unit, at most
  if (most > SLAB_BYTES / 4) return Buffer.from(s);
  if (used + most > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    used = 0;
  }
  const start = used;
  used += slab.write(s, start);
  return slab.subarray(start, used);
}
