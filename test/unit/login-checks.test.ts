// LoginChecks: a credential is verified once and then trusted for its time, concurrent
// checks of one credential share one verification, verifications run one at a time, and a
// flood beyond the queue is refused at once rather than queued without end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginChecks } from '../../src/auth/login-checks.js';
import { sameSecret } from '../../src/auth/credentials.js';
import { hashPassword, verifyPassword } from '../../src/auth/password.js';

/** A verifier that counts calls and finishes when told. */
function gatedVerifier(ok: (credential: string) => boolean) {
  const calls: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const gates: (() => void)[] = [];
  const verify = (c: string) => {
    calls.push(c);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<boolean>((resolve) => gates.push(() => {
      running -= 1;
      resolve(ok(c));
    }));
  };
  // Verifications start one after another (each after the last settles): let each in turn.
  const releaseAll = async () => {
    for (let turn = 0; turn < 100; turn++) {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { verify, calls, releaseAll, maxRunning: () => maxRunning };
}

test('fifty concurrent checks of one credential run one verification; later ones hit the cache until it expires', async () => {
  let now = 0;
  const v = gatedVerifier((c) => c === 'good');
  const checks = new LoginChecks(v.verify, { ttlMs: 1000, now: () => now });
  const answers = Promise.all(Array.from({ length: 50 }, () => checks.check('good')));
  await v.releaseAll();
  assert.deepEqual(new Set(await answers), new Set([true]));
  assert.equal(v.calls.length, 1);
  assert.equal(await checks.check('good'), true);
  assert.equal(v.calls.length, 1, 'cached');
  now = 1001;
  const again = checks.check('good');
  await v.releaseAll();
  assert.equal(await again, true);
  assert.equal(v.calls.length, 2, 'expired, verified anew');
});

test('wrong credentials are never cached, run one at a time, and a flood past the queue is refused at once', async () => {
  const v = gatedVerifier(() => false);
  const checks = new LoginChecks(v.verify, { maxWaiting: 4 });
  const answers = Promise.all(Array.from({ length: 10 }, (_, i) => checks.check(`bad${i}`)));
  await v.releaseAll();
  assert.deepEqual(await answers, Array.from({ length: 10 }, () => false));
  assert.equal(v.calls.length, 4, 'only the queued ones were verified');
  assert.equal(v.maxRunning(), 1, 'one verification at a time');
  const retry = checks.check('bad0');
  await v.releaseAll();
  assert.equal(await retry, false);
  assert.equal(v.calls.length, 5, 'a failure is not remembered as a success');
});

test('scrypt hashes: async verification of the right and wrong password; sameSecret', async () => {
  const hash = hashPassword('pw');
  assert.equal(await verifyPassword('pw', hash), true);
  assert.equal(await verifyPassword('pw2', hash), false);
  assert.equal(await verifyPassword('pw', 'md5$x$y'), false);
  assert.equal(sameSecret('ops', 'ops'), true);
  assert.equal(sameSecret('ops', 'opsx'), false);
});
