// Lifting base64 images out of a body's bytes must never change what the body means: the
// lifted text plus the lifted values parse to what JSON.parse makes of the whole body, a
// body JSON.parse refuses stays refused, and anything unusual is left to JSON.parse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { liftImages, LiftedBody } from '../../src/ingest/lift-images.js';
import { parseMessage } from '../../src/ingest/parse-message.js';
import { deployedDetection, deployedHealth, fakeJpeg } from '../helpers/payloads.js';

/** What the body means once lifted: the text parsed, the lifted values put back as strings. */
function restored(body: Buffer, minBytes = 1): unknown {
  const lifted = liftImages(body, minBytes);
  if (!lifted) return undefined;
  const obj = JSON.parse(lifted.text) as Record<string, unknown>;
  for (const [field, bytes] of lifted.images) {
    assert.equal(obj[field], '', `${field} is cut to "" in the text`);
    obj[field] = bytes.toString('latin1');
  }
  return obj;
}

const base64 = fc.base64String({ minLength: 4, maxLength: 200 }).filter((s) => s.length > 0);

test('any object with image fields: lifted, and the same value back', () => {
  // Keys JSON writes without escapes (a body with an escaped key is left alone, below).
  const key = fc.string({ maxLength: 8 }).filter((k) => JSON.stringify(k) === `"${k}"` && !['original_image', 'annotated_image'].includes(k));
  const member = fc.tuple(key, fc.jsonValue({ maxDepth: 2 }));
  fc.assert(fc.property(fc.array(member, { maxLength: 5 }), base64, fc.option(base64), fc.integer({ min: 0, max: 5 }), fc.constantFrom(undefined, 1, '\t'), fc.boolean(),
    (members, original, annotated, at, indent, bom) => {
      const entries: [string, unknown][] = [...members];
      entries.splice(Math.min(at, entries.length), 0, ['original_image', original]);
      if (annotated !== null) entries.push(['annotated_image', annotated]);
      const value = Object.fromEntries(entries);
      const text = JSON.stringify(value, null, indent);
      const body = Buffer.from(`${bom ? '\ufeff' : ''}${text}`);
      const back = restored(body);
      assert.notEqual(back, undefined, 'a plain body is lifted');
      assert.deepEqual(back, JSON.parse(text));
    }), { numRuns: 400 });
});

test('any text at all: lifting never throws, and what it lifts parses exactly when the whole does', () => {
  const image = `"original_image":"${'QUJD'.repeat(4)}"`;
  const texts = fc.oneof(
    fc.string(),
    fc.json(),
    // JSON-like pieces around an image member, often broken.
    fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', 'true', '1', '"a"', '"k":', image), { maxLength: 12 }).map((p) => p.join('')),
    fc.tuple(fc.json(), fc.nat()).map(([j, n]) => `{${image},"x":${j}}`.slice(0, n + 20)),
  );
  let reached = 0;
  fc.assert(fc.property(texts, (text) => {
    const body = Buffer.from(text);
    const lifted = liftImages(body, 1);
    if (!lifted) return;
    reached += 1;
    let whole: unknown;
    let wholeOk = true;
    try {
      whole = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      wholeOk = false;
    }
    let cutOk = true;
    try {
      JSON.parse(lifted.text);
    } catch {
      cutOk = false;
    }
    assert.equal(cutOk, wholeOk, `same verdict for ${JSON.stringify(text)}`);
    if (wholeOk) assert.deepEqual(restored(body), whole);
  }), { numRuns: 3000 });
  assert.ok(reached > 100, `the texts reach the lifting path (${reached} of 3000)`);
});

test('unusual bodies are left to JSON.parse', () => {
  const b64 = 'QUJD'.repeat(8);
  const cases = [
    `{"original_image":"${b64}","original_image":""}`, // which one counts is JSON.parse's call
    `{"original\\u005fimage":"${b64}"}`, // an escaped key
    `{"original_image":"${b64.slice(0, 16)}\\n${b64.slice(16)}"}`, // MIME line breaks
    `{"original_image":"${b64.slice(0, 16)}\\/${b64.slice(16)}"}`, // an escaped slash
    `{"original_image":"${b64}é"}`, // not ASCII
    `[{"original_image":"${b64}"}]`,
    `{"a":{"original_image":"${b64}"}}`, // nested: not an image field
    '{"original_image":"QUJD"}', // below the size worth lifting (here 16)
  ];
  for (const text of cases) assert.equal(liftImages(Buffer.from(text), 16), undefined, text);
});

test('a lifted detection parses to the same message as the plain one; a kind without images keeps the field', () => {
  const opts = { timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp', now: Date.now() };
  const det = deployedDetection({ original_image: `data:image/jpeg;base64,${fakeJpeg(30_000).toString('base64')}`, annotated_image: fakeJpeg(20_000).toString('base64') });
  const text = JSON.stringify(det);
  const lifted = liftImages(Buffer.from(text));
  assert.ok(lifted && lifted.images.size === 2);
  const viaBytes = parseMessage(new LiftedBody(JSON.parse(lifted.text), lifted.images), opts);
  const plain = parseMessage(JSON.parse(text), opts);
  assert.deepEqual(viaBytes.images.map((i) => i.ref), plain.images.map((i) => i.ref));
  assert.deepEqual(viaBytes.raw, plain.raw);
  assert.equal(viaBytes.dedupeKey, plain.dedupeKey);
  assert.equal(lifted.images.size, 0, 'the bytes are let go once decoded');

  const health = { ...deployedHealth(), original_image: fakeJpeg(6000).toString('base64') };
  const h = liftImages(Buffer.from(JSON.stringify(health)));
  assert.ok(h);
  const parsed = parseMessage(new LiftedBody(JSON.parse(h.text), h.images), opts);
  assert.equal(parsed.raw.original_image, health.original_image);
});

test('a lifted image is decoded piece by piece to the same bytes, and refused for the same text', () => {
  const opts = { timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp', now: Date.now() };
  /** Both ways: the body parsed whole, and lifted (decoded from its bytes). */
  const both = (value: string) => {
    const text = JSON.stringify(deployedDetection({ original_image: value }));
    const lifted = liftImages(Buffer.from(text));
    assert.ok(lifted, 'lifted');
    const run = (f: () => ReturnType<typeof parseMessage>) => {
      try {
        return { images: f().images.map((i) => ({ ref: i.ref, data: Buffer.from(i.data).toString('hex') })) };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    return {
      plain: run(() => parseMessage(JSON.parse(text), opts)),
      viaBytes: run(() => parseMessage(new LiftedBody(JSON.parse(lifted.text), lifted.images), opts)),
    };
  };
  // 65,536 characters make one piece: sizes on both sides of one and two piece boundaries,
  // padded and not.
  const PIECE_BYTES = (64 * 1024 * 3) / 4;
  for (const bytes of [4096, PIECE_BYTES - 1, PIECE_BYTES, PIECE_BYTES + 1, PIECE_BYTES + 2, 2 * PIECE_BYTES + 1, 150_001]) {
    const b64 = fakeJpeg(bytes).toString('base64');
    for (const value of [b64, b64.replace(/=+$/, ''), `data:image/jpeg;base64,${b64}`]) {
      const { plain, viaBytes } = both(value);
      assert.ok(plain.images?.[0]?.ref.bytes === bytes, `decoded ${bytes} bytes`);
      assert.deepEqual(viaBytes, plain);
    }
  }
  // Refused alike: a bad character in a later piece, padding inside, a length no base64 has.
  const b64 = fakeJpeg(2 * PIECE_BYTES).toString('base64');
  for (const value of [`${b64.slice(0, 70_000)}*${b64.slice(70_001)}`, `${b64.slice(0, 65_536)}==${b64.slice(65_538)}`, `${b64}A`, ` ${b64.slice(1)}`]) {
    const { plain, viaBytes } = both(value);
    assert.match(plain.error ?? '', /original_image is not valid base64/);
    assert.deepEqual(viaBytes, plain);
  }
});
