// Taking base64 images out of a body while it arrives must never change what the body
// means, however its bytes are split: the text with the lifted values put back is exactly
// the body, a body JSON.parse refuses stays refused, anything unusual is left in the text,
// and a lifted image decodes to the bytes and verdicts of the plain path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ImageLifter, LiftedBody } from '../../src/ingest/lift-images.js';
import { parseMessage } from '../../src/ingest/parse-message.js';
import { deployedDetection, deployedHealth, fakeJpeg } from '../helpers/payloads.js';

/** Feeds `body` to a lifter in pieces cut at `cuts` (offsets, any order, any range). */
function lift(body: Buffer, cuts: number[] = [], minBytes = 1) {
  const lifter = new ImageLifter(body.length, minBytes);
  const at = [...new Set(cuts.map((c) => Math.abs(c) % (body.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const c of [...at, body.length]) {
    if (c > from) lifter.push(body.subarray(from, c));
    from = Math.max(from, c);
  }
  const out = lifter.end();
  return { ...out, whole: () => lifter.whole() };
}

const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** What the body means once lifted: the text parsed, the lifted values put back as strings. */
function restored(out: ReturnType<typeof lift>): unknown {
  const obj = JSON.parse(out.text) as Record<string, unknown>;
  for (const [field, image] of out.images) {
    assert.equal(obj[field], '', `${field} is cut to "" in the text`);
    obj[field] = image.text();
  }
  return obj;
}

const base64 = fc.uint8Array({ minLength: 1, maxLength: 150 }).chain((bytes) => {
  const b64 = Buffer.from(bytes).toString('base64');
  return fc.constantFrom(b64, b64.replace(/=+$/, ''), `data:image/jpeg;base64,${b64}`);
});
const cuts = fc.array(fc.nat(), { maxLength: 12 });

test('any object with image fields, split anywhere: lifted, decoded, and the same value back', () => {
  // Keys JSON writes without escapes (a body with an escaped key is left alone, below).
  const key = fc.string({ maxLength: 8 }).filter((k) => JSON.stringify(k) === `"${k}"` && !['original_image', 'annotated_image'].includes(k));
  const member = fc.tuple(key, fc.jsonValue({ maxDepth: 2 }));
  fc.assert(fc.property(fc.array(member, { maxLength: 5 }), base64, fc.option(base64), fc.integer({ min: 0, max: 5 }), fc.constantFrom(undefined, 1, '\t'), fc.boolean(), cuts,
    (members, original, annotated, at, indent, bom, split) => {
      const entries: [string, unknown][] = [...members];
      entries.splice(Math.min(at, entries.length), 0, ['original_image', original]);
      if (annotated !== null) entries.push(['annotated_image', annotated]);
      const value = Object.fromEntries(entries);
      const text = JSON.stringify(value, null, indent);
      const body = Buffer.from(`${bom ? '\ufeff' : ''}${text}`);
      const out = lift(body, split);
      assert.equal(out.images.size, annotated !== null && value.annotated_image === annotated ? 2 : 1, 'a plain body is lifted');
      assert.deepEqual(restored(out), JSON.parse(text));
      for (const [field, image] of out.images) {
        const sent = value[field] as string;
        assert.equal(image.text(), sent, 'written back exactly as sent');
        assert.ok(image.data.equals(Buffer.from(sent.replace(/^data:[^,]*,/, ''), 'base64')), 'decoded');
      }
      assert.equal(out.whole(), text, 'the whole body, every value in place');
    }), { numRuns: 400 });
});

test('any text at all, split anywhere: never throws, the whole body comes back, and what it lifts parses exactly when the whole does', () => {
  const image = `"original_image":"${'QUJD'.repeat(4)}"`;
  const texts = fc.oneof(
    fc.string(),
    fc.json(),
    // JSON-like pieces around an image member, often broken.
    fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', 'true', '1', '"a"', '"k":', '=', 'QQ', image, '\ufeff'), { maxLength: 12 }).map((p) => p.join('')),
    fc.tuple(fc.json(), fc.nat()).map(([j, n]) => `{${image},"x":${j}}`.slice(0, n + 20)),
  );
  let reached = 0;
  fc.assert(fc.property(texts, cuts, (text, split) => {
    const out = lift(Buffer.from(text), split);
    const whole = withoutBom(text);
    if (out.images.size === 0) {
      assert.equal(out.text, whole, 'nothing lifted: the text is the body');
      return;
    }
    reached += 1;
    let parsed: unknown;
    let wholeOk = true;
    try {
      parsed = JSON.parse(whole);
    } catch {
      wholeOk = false;
    }
    let cutOk = true;
    try {
      JSON.parse(out.text);
    } catch {
      cutOk = false;
    }
    assert.equal(cutOk, wholeOk, `same verdict for ${JSON.stringify(text)}`);
    if (wholeOk) assert.deepEqual(restored(out), parsed);
    assert.equal(out.whole(), whole);
  }), { numRuns: 3000 });
  assert.ok(reached > 100, `the texts reach the lifting path (${reached} of 3000)`);
});

test('unusual bodies are left in the text, split or not', () => {
  const b64 = 'QUJD'.repeat(8);
  const cases = [
    `{"original_image":"${b64}","original_image":""}`, // which one counts is JSON.parse's call
    `{"original\\u005fimage":"${b64}"}`, // an escaped key
    `{"x\\"":1,"original_image":"${b64}"}`, // any escaped key
    `{"original_image":"${b64.slice(0, 16)}\\n${b64.slice(16)}"}`, // MIME line breaks
    `{"original_image":"${b64.slice(0, 16)}\\/${b64.slice(16)}"}`, // an escaped slash
    `{"original_image":"${b64}é"}`, // not ASCII
    `{"original_image":"${b64.slice(0, 16)}*${b64.slice(16)}"}`, // not base64
    `{"original_image":"${b64}A"}`, // a length no base64 has
    `{"original_image":"${b64.slice(0, 30)}=${b64.slice(30)}"}`, // padding inside
    `[{"original_image":"${b64}"}]`,
    `{"a":{"original_image":"${b64}"}}`, // nested: not an image field
    `{"original_image":"${b64}"`, // ends early
    '{"original_image":"QUJD"}', // below the size worth lifting (here 16)
  ];
  for (const text of cases) {
    for (const split of [[], [1, 7, 20, 33], Array.from({ length: text.length }, (_, i) => i)]) {
      const out = lift(Buffer.from(text), split, 16);
      assert.equal(out.images.size, 0, text);
      assert.equal(out.text, text);
    }
  }
});

test('a lifted detection parses to the same message as the plain one; a kind without images keeps the field as sent', () => {
  const opts = { timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp', now: Date.now() };
  const det = deployedDetection({ original_image: `data:image/jpeg;base64,${fakeJpeg(30_000).toString('base64')}`, annotated_image: fakeJpeg(20_000).toString('base64') });
  const text = JSON.stringify(det);
  const lifted = lift(Buffer.from(text), [100, 5000, 5001, 40_000]);
  assert.equal(lifted.images.size, 2);
  const viaBytes = parseMessage(new LiftedBody(JSON.parse(lifted.text), lifted.images), opts);
  const plain = parseMessage(JSON.parse(text), opts);
  assert.deepEqual(viaBytes.images.map((i) => i.ref), plain.images.map((i) => i.ref));
  assert.deepEqual(viaBytes.raw, plain.raw);
  assert.equal(viaBytes.dedupeKey, plain.dedupeKey);
  assert.equal(lifted.images.size, 0, 'the images are let go once taken');

  // Unpadded, and a last character with bits base64 decoding ignores: written back as sent.
  for (const value of [fakeJpeg(6001).toString('base64').replace(/=+$/, ''), `${fakeJpeg(6000).toString('base64').slice(0, -1)}R`]) {
    const health = { ...deployedHealth(), original_image: value };
    const h = lift(Buffer.from(JSON.stringify(health)), [], 4096);
    assert.equal(h.images.size, 1);
    const parsed = parseMessage(new LiftedBody(JSON.parse(h.text), h.images), opts);
    assert.equal(parsed.raw.original_image, value);
  }
});

test('a lifted image is decoded to the same bytes as the plain path, and refused for the same text, across chunk boundaries', () => {
  const opts = { timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp', now: Date.now() };
  /** Both ways: the body parsed whole, and lifted (decoded while it arrived in 64 KB chunks). */
  const both = (value: string) => {
    const body = Buffer.from(JSON.stringify(deployedDetection({ original_image: value })));
    const lifted = lift(body, Array.from({ length: Math.ceil(body.length / 65_536) }, (_, i) => (i + 1) * 65_536), 4096);
    const run = (f: () => ReturnType<typeof parseMessage>) => {
      try {
        return { images: f().images.map((i) => ({ ref: i.ref, data: Buffer.from(i.data).toString('hex') })) };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    return {
      lifted: lifted.images.size,
      plain: run(() => parseMessage(JSON.parse(body.toString()), opts)),
      viaBytes: run(() => parseMessage(lifted.images.size ? new LiftedBody(JSON.parse(lifted.text), lifted.images) : JSON.parse(lifted.text), opts)),
    };
  };
  for (const bytes of [4096, 49_151, 49_152, 49_153, 98_305, 150_001]) {
    const b64 = fakeJpeg(bytes).toString('base64');
    for (const value of [b64, b64.replace(/=+$/, ''), `data:image/jpeg;base64,${b64}`]) {
      const { lifted, plain, viaBytes } = both(value);
      assert.equal(lifted, 1, `lifted (${bytes} bytes)`);
      assert.ok(plain.images?.[0]?.ref.bytes === bytes, `decoded ${bytes} bytes`);
      assert.deepEqual(viaBytes, plain);
    }
  }
  const b64 = fakeJpeg(98_304).toString('base64');
  for (const value of [`${b64.slice(0, 70_000)}*${b64.slice(70_001)}`, `${b64.slice(0, 65_536)}==${b64.slice(65_538)}`, `${b64}A`, ` ${b64.slice(1)}`]) {
    const { lifted, plain, viaBytes } = both(value);
    assert.equal(lifted, 0, 'not base64: left in the text');
    assert.match(plain.error ?? '', /original_image is not valid base64/);
    assert.deepEqual(viaBytes, plain);
  }
});
