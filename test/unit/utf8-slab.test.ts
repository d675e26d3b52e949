// Bytes cut from the shared slab must be each string's UTF-8, and stay so while later
// strings are cut (across slab boundaries, and past the size that goes to Buffer.from).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { utf8Bytes } from '../../src/log/utf8-slab.js';

test('every string\'s UTF-8, unchanged by the cuts after it', () => {
  fc.assert(fc.property(
    fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('กข 1234', 'x'.repeat(30_000), '😀'.repeat(5000), '\ud800 lone')), { minLength: 1, maxLength: 200 }),
    (strings) => {
      const cut = strings.map((s) => utf8Bytes(s));
      strings.forEach((s, i) => assert.deepEqual(cut[i], Buffer.from(s), `string ${i}`));
    },
  ), { numRuns: 100 });
});
