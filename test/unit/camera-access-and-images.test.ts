// Who may send (auth/camera-access.ts), the ids records get (log/uuid-v7.ts), and the
// images a camera message carries (ingest/decode-images.ts): data URLs, wrapped base64,
// crops as a list or JSON text of one, each sniffed and hashed; anything not base64 is
// refused by field.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { createCameraAccess } from '../../src/auth/camera-access.js';
import { decodeImages } from '../../src/ingest/decode-images.js';
import { uuidV7 } from '../../src/log/uuid-v7.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code: string }).code;
  }
};

test('camera tokens: a camera with one must present it; others pass unless only known cameras may send', () => {
  const open = createCameraAccess({ tokens: { cam1: 's3cret' }, knownOnly: false, known: [] });
  assert.equal(codeOf(() => open.check('cam1', 's3cret')), undefined);
  assert.equal(codeOf(() => open.check('cam1', undefined)), 'UNAUTHORIZED');
  assert.equal(codeOf(() => open.check('cam1', 's3creT')), 'FORBIDDEN');
  assert.equal(codeOf(() => open.check('cam9', undefined)), undefined, 'deployed cameras send no credential');
  assert.equal(open.isKnownCredential('s3cret'), true);
  assert.equal(open.isKnownCredential('guess'), false);
  const closed = createCameraAccess({ tokens: { cam1: 's3cret' }, knownOnly: true, known: ['cam2'] });
  assert.equal(codeOf(() => closed.check('cam2', undefined)), undefined);
  assert.equal(codeOf(() => closed.check('cam9', undefined)), 'FORBIDDEN');
  assert.equal(codeOf(() => closed.check('cam1', 's3cret')), undefined);
});

test('uuid v7: version and variant bits, time-ordered by the millisecond, unique', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => uuidV7(1_700_000_000_000 + i));
  for (const id of ids.slice(0, 10)) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids, 'sorted as text = sorted by time');
  assert.equal(new Set(Array.from({ length: 1000 }, () => uuidV7(5))).size, 1000, 'unique within one millisecond');
  assert.equal(uuidV7(0x0123456789ab).slice(0, 13), '01234567-89ab');
});

test('images: data URL, wrapped base64, crops as a list or as JSON text; sniffed and hashed; empty fields absent', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png')]);
  const wrapped = jpeg.toString('base64').replace(/(.{4})/g, '$1\n');
  const images = decodeImages({
    original_image: `data:image/jpeg;base64,${jpeg.toString('base64')}`, annotated_image: '', cropped_plates: JSON.stringify([png.toString('base64'), '', wrapped]),
  });
  assert.deepEqual(images.map((i) => [i.ref.name, i.ref.field, i.ref.content_type, i.ref.bytes]), [
    ['original_image', 'original_image', 'image/jpeg', jpeg.length],
    ['cropped_plate_0', 'cropped_plates[0]', 'image/png', png.length],
    ['cropped_plate_2', 'cropped_plates[2]', 'image/jpeg', jpeg.length],
  ]);
  assert.equal(images[0]!.ref.sha256, createHash('sha256').update(jpeg).digest('hex'));
  assert.deepEqual(images[2]!.data, jpeg, 'line breaks of a MIME encoder are tolerated');
  assert.deepEqual(decodeImages({ cropped_plates: [Buffer.from('x').toString('base64')] }).map((i) => i.ref.content_type), ['application/octet-stream']);
  assert.deepEqual(decodeImages({ cropped_plates: null, original_image: null }), []);
  const lifted = new Map([['original_image', { data: jpeg }]]);
  assert.deepEqual(decodeImages({ original_image: '' }, lifted).map((i) => i.data), [jpeg], 'an image taken out of the request as it arrived');
});

test('images that are not base64 are refused by field', () => {
  const problem = (body: Record<string, unknown>) => {
    try {
      decodeImages(body);
    } catch (err) {
      const e = err as { code: string; fields: { path: string }[] };
      return [e.code, e.fields[0]!.path];
    }
    return undefined;
  };
  assert.deepEqual(problem({ original_image: 'not base64!' }), ['INVALID_IMAGE', 'original_image']);
  assert.deepEqual(problem({ original_image: 'abcde' }), ['INVALID_IMAGE', 'original_image'], 'a length no base64 has');
  assert.deepEqual(problem({ annotated_image: 42 }), ['INVALID_IMAGE', 'annotated_image']);
  assert.deepEqual(problem({ cropped_plates: ['QUJD', { x: 1 }] }), ['INVALID_IMAGE', 'cropped_plates[1]']);
  assert.deepEqual(problem({ cropped_plates: 7 }), ['INVALID_IMAGE', 'cropped_plates']);
});
