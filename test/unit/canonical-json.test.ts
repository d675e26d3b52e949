// Canonical JSON is what the evidence chain hashes, so a third party's re-implementation
// must give the same bytes: RFC 8785 ordering and forms, whatever order keys came in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../../src/log/canonical-json.js';

test('keys sort by UTF-16 code units, at every depth, with no whitespace', () => {
  // RFC 8785 §3.2.3's ordering example: "\r" < "1" < "\u0080" < "ö" < "€" < "😀" < "\ufb33".
  const value = { '\u20ac': 'Euro', '\r': 'CR', '\ufb33': 'Hebrew', '1': 'One', '\ud83d\ude00': 'Smiley', '\u0080': 'Control', 'ö': 'Latin' };
  assert.equal(canonicalJson(value), '{"\\r":"CR","1":"One","\u0080":"Control","ö":"Latin","€":"Euro","😀":"Smiley","\ufb33":"Hebrew"}');
  assert.equal(canonicalJson({ b: [3, { z: 1, a: null }], a: 'กข 1234' }), '{"a":"กข 1234","b":[3,{"a":null,"z":1}]}');
});

test('numbers, literals and undefined take the forms JSON.stringify gives them', () => {
  assert.equal(canonicalJson([1e21, 0.1, -0, 41.7, 1e-7, true, false, null]), '[1e+21,0.1,0,41.7,1e-7,true,false,null]');
  assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  assert.equal(canonicalJson([undefined]), '[null]');
  assert.throws(() => canonicalJson({ a: Number.NaN }), /NaN/);
  assert.throws(() => canonicalJson([Infinity]), /Infinity/);
  // Every finite double (subnormals, the largest, integers past 2^53), as JSON.stringify writes it.
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => canonicalJson([x, { x }]) === JSON.stringify([x, { x }])), { numRuns: 5000 });
});

test('any JSON value: same meaning back, and the same bytes whatever the key order', () => {
  fc.assert(fc.property(fc.jsonValue(), (value) => {
    const text = canonicalJson(value);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    assert.equal(canonicalJson(reverseKeys(value)), text);
  }), { numRuns: 500 });
});

function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
}

/** RFC 8785 the plain way, to hold the fast path (a sorted copy written by JSON.stringify) to. */
const absent = (x: unknown) => x === undefined || typeof x === 'function' || typeof x === 'symbol';

function reference(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (absent(x) ? 'null' : reference(x))).join(',')}]`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const keys = Object.keys(v).filter((k) => !absent((v as Record<string, unknown>)[k])).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

test('the text is RFC 8785 for keys V8 orders its own way and objects already in order', () => {
  const cases: unknown[] = [
    { 10: 'ten', 9: 'nine', a: 1, '1a': 2, '-1': 3 }, // index keys: V8 lists them first, numerically
    JSON.parse('{"__proto__":{"x":1},"b":2,"a":[{"d":1,"c":2}]}'),
    { a: 1, b: { d: [1, { f: 1, e: 2 }], c: 'x' }, c: [undefined, 'y'] }, // sorted outside, not inside
    { a: { b: { c: 1 } }, z: 'กข 1234' }, // sorted throughout: used as it is
    { b: undefined, a: () => 1, c: Symbol('s'), d: 1 },
  ];
  for (const c of cases) assert.equal(canonicalJson(c), reference(c));
  fc.assert(fc.property(fc.jsonValue(), (value) => {
    assert.equal(canonicalJson(value), reference(value));
  }), { numRuns: 500 });
});
