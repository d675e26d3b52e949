// How a failed store write is named (log/store-failure.ts): a full disk anywhere along the
// cause chain is 507 STORE_FULL, anything else 503 STORE_UNAVAILABLE, both with a wait; a
// locked store is told apart; the reason reads along the chain for people.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureCode, failureReason, isNoSpace, refusalOf, storeInUse, writeError } from '../../src/log/store-failure.js';

const wrapped = (inner: unknown, message = 'Database failed to open') => Object.assign(new Error(message), { cause: inner });

test('a full disk is found by code or by message, at any depth of the cause chain', () => {
  assert.equal(isNoSpace(Object.assign(new Error('write'), { code: 'ENOSPC' })), true);
  assert.equal(isNoSpace(Object.assign(new Error('write'), { code: 'EDQUOT' })), true);
  assert.equal(isNoSpace(wrapped(new Error('IO error: No space left on device'))), true, "LevelDB's wrapped reason");
  assert.equal(isNoSpace(wrapped(wrapped('quota exceeded'))), true, 'a string cause');
  assert.equal(isNoSpace(Object.assign(new Error('IO error: EIO'), { code: 'EIO' })), false);
  assert.equal(isNoSpace(undefined), false);
  assert.equal(failureCode(wrapped(Object.assign(new Error('x'), { code: 'ENOSPC' }))), 'STORE_FULL');
  assert.equal(failureCode(new Error('corruption')), 'STORE_UNAVAILABLE');
});

test('the reason joins every message along the chain; a locked store is recognised', () => {
  assert.equal(failureReason(wrapped(new Error('IO error: lock held'))), 'Database failed to open: IO error: lock held');
  assert.equal(failureReason(Object.assign({}, { code: 'EIO' })), 'EIO');
  assert.equal(storeInUse(wrapped(Object.assign(new Error('locked'), { code: 'LEVEL_LOCKED' }))), true);
  assert.equal(storeInUse(new Error('other')), false);
});

test('refusals while the store is not writable, and write errors, carry their code, status and wait', () => {
  const full = refusalOf({ state: 'failed', code: 'STORE_FULL', reason: 'ENOSPC', failures: 1, recoveries: 0 });
  assert.deepEqual([full.code, full.status, full.retryAfter], ['STORE_FULL', 507, 30]);
  const reopening = refusalOf({ state: 'recovering', code: 'STORE_UNAVAILABLE', reason: 'EIO', failures: 1, recoveries: 0 });
  assert.deepEqual([reopening.code, reopening.status, reopening.retryAfter], ['STORE_UNAVAILABLE', 503, 5]);
  assert.match(reopening.message, /being reopened \(EIO\)/);
  for (const state of ['new', 'closing', 'closed'] as const) {
    assert.equal(refusalOf({ state, failures: 0, recoveries: 0 }).message, 'the store is not open', state);
  }
  const cause = Object.assign(new Error('x'), { code: 'ENOSPC' });
  const e = writeError(cause);
  assert.deepEqual([e.code, e.retryAfter, e.cause], ['STORE_FULL', 30, cause]);
  assert.equal(writeError(new Error('EIO')).code, 'STORE_UNAVAILABLE');
  assert.equal(writeError(full), full, 'an error already named stays as it is');
});
