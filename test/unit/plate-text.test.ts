// Plate normalisation and the one-edit rule behind fuzzy matching and fuzzy search.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { deletions, isPlateKey, normalisePlate, withinOneEdit } from '../../src/plates/plate-text.js';
import { plateReadings } from '../../src/plates/plate-readings.js';
import { KINDS } from '../../src/kinds/index.js';
import type { DetectionData } from '../../src/log/record.js';

test('normalisePlate: Thai digits, whitespace, dashes and dots, Latin case', () => {
  const cases: [string, string][] = [
    ['กข 1234', 'กข1234'], ['กข-๑๒๓๔', 'กข1234'], ['  กข\t๑๒ ๓๔ ', 'กข1234'], ['ab.12-34', 'AB1234'],
    ['1กข 1234 กรุงเทพมหานคร', '1กข1234กรุงเทพมหานคร'], ['abc–123', 'ABC123'], ['๐๙', '09'],
  ];
  for (const [input, want] of cases) assert.equal(normalisePlate(input), want, input);
  assert.equal(isPlateKey('กข1234'), true);
  assert.equal(isPlateKey('A'), false, 'one character is no plate');
  assert.equal(isPlateKey('AB/12'), false, 'a slash cannot be a topic level');
});

/** Textbook Levenshtein distance: the reference the fast check is compared with. */
function levenshtein(a: string[], b: string[]): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

const plateLike = fc.array(fc.constantFrom('ก', 'ข', 'A', 'B', '1', '2', '3'), { minLength: 0, maxLength: 7 }).map((c) => c.join(''));

test('withinOneEdit agrees with the Levenshtein distance ≤ 1', () => {
  fc.assert(fc.property(plateLike, plateLike, (a, b) => withinOneEdit(a, b) === (levenshtein([...a], [...b]) <= 1)), { numRuns: 3000 });
  assert.equal(withinOneEdit('กข1234', 'กข1284'), true);
  assert.equal(withinOneEdit('กข1234', 'ขก1234'), false, 'a swap is two edits');
});

test('symmetric delete: within one edit exactly when {a} ∪ deletions(a) meets {b} ∪ deletions(b) and the check agrees', () => {
  fc.assert(fc.property(plateLike, plateLike, (a, b) => {
    const va = new Set([a, ...deletions(a)]);
    const meet = [b, ...deletions(b)].some((v) => va.has(v));
    // Sharing a variant is necessary for one edit (so the index finds every candidate) …
    if (withinOneEdit(a, b)) assert.ok(meet, `${a} / ${b}`);
    return true;
  }), { numRuns: 3000 });
});

test('plate readings: OCR objects in JSON text (deployed camera), plain strings, plate_detections[].text', () => {
  const deployed = KINDS.detection.data({
    vehicles_count: 1, plates_count: 2,
    ocr_results: JSON.stringify([{ plate_idx: 0, text: 'กข 1234', confidence: 0.9 }, 'AB 99']),
    plate_detections: JSON.stringify([{ bbox: [1, 2, 3, 4], text: 'กข-๑๒๓๔' }, { bbox: [1, 2, 3, 4] }]),
  }) as DetectionData;
  assert.deepEqual(plateReadings(deployed), ['กข 1234', 'AB 99', 'กข-๑๒๓๔']);
});
