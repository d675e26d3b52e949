// The failure latch (log/store-latch.ts) on its own: a failed write latches once and is
// reopened with backoff, a reopen that fails is tried again, a store that cannot open at
// start latches the same way, and closing waits for a reopen under way. Listeners hear
// every state in order. Delays are a few ms; the waits are on the states heard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreLatch } from '../../src/log/store-latch.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

const enospc = () => Object.assign(new Error('IO error: No space left on device'), { code: 'ENOSPC' });

function latch(reopenResults: (Error | undefined)[]) {
  const heard: string[] = [];
  let reopens = 0;
  const l = new StoreLatch({
    delaysMs: [5, 10], settle: async () => undefined,
    reopen: async () => {
      const fault = reopenResults[reopens++];
      if (fault) throw fault;
      return {};
    },
  });
  l.onChange((h) => heard.push(h.code ? `${h.state}:${h.code}` : h.state));
  return { l, heard, reopens: () => reopens };
}

test('a failed write latches once, refuses with 507 while latched, and reopens; a failed reopen is tried again', async () => {
  const { l, heard, reopens } = latch([new Error('EIO'), undefined]);
  assert.equal(l.refusal().code, 'STORE_UNAVAILABLE', 'new: not open');
  l.opened();
  l.failed(enospc());
  l.failed(new Error('a second failure while latched'));
  assert.deepEqual([l.health().state, l.health().code, l.health().failures], ['failed', 'STORE_FULL', 1], 'latched once');
  assert.deepEqual([l.refusal().code, l.refusal().status, l.refusal().retryAfter], ['STORE_FULL', 507, 30]);
  await waitUntil(() => l.state === 'open', 5000, 'reopened');
  assert.equal(reopens(), 2, 'the first reopen failed, the second opened');
  assert.deepEqual(heard, ['open', 'failed:STORE_FULL', 'recovering:STORE_FULL', 'failed:STORE_UNAVAILABLE', 'recovering:STORE_UNAVAILABLE', 'open']);
  assert.deepEqual([l.health().recoveries, l.health().code, l.health().reason], [1, undefined, undefined], 'the reason goes with the failure');
});

test('a store that cannot open at start latches and is reopened; closing waits for a reopen under way and stops the rest', async () => {
  let release!: () => void;
  const gate = new Promise<void>((ok) => (release = ok));
  const heard: string[] = [];
  let settling = false;
  const settle = () => {
    settling = true;
    return gate;
  };
  const l = new StoreLatch({ delaysMs: [5], settle, reopen: async () => ({}) });
  l.onChange((h) => heard.push(h.state));
  l.openFailed(enospc());
  assert.equal(l.health().code, 'STORE_FULL');
  await waitUntil(() => settling, 5000, 'the reopen to begin (it waits on settle)');
  const closing = l.closing();
  release();
  await closing;
  l.closed();
  assert.deepEqual(heard, ['failed', 'recovering', 'open', 'closing', 'closed']);
  assert.equal(l.refusal().message, 'the store is not open');
});
