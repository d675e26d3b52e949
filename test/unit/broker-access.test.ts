// The embedded broker's ACL: MQTT filter matching, which subscriptions an allowed pattern
// covers, the reserved topics LAN clients may not publish to, and broker passwords.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, verifyPassword } from '../../src/auth/password.js';
import { filterCovered, isReservedTopic, topicMatches } from '../../src/auth/broker-access.js';

test('topicMatches: + is one level, # is the rest (including none)', () => {
  assert.equal(topicMatches('lpr/+/+/detection', 'lpr/cp/cam-1/detection'), true);
  assert.equal(topicMatches('lpr/+/+/detection', 'lpr/cp/cam-1/health'), false);
  assert.equal(topicMatches('lpr/+/detection', 'lpr/cp/cam-1/detection'), false);
  assert.equal(topicMatches('lpr/#', 'lpr'), true);
  assert.equal(topicMatches('lpr/#', 'lpr/a/b/c'), true);
  assert.equal(topicMatches('lpr/cp', 'lpr/cp/x'), false);
  assert.equal(topicMatches('#', 'anything/at/all'), true);
});

test('filterCovered: a request is allowed only if every topic it could match is allowed', () => {
  assert.equal(filterCovered('lpr/#', 'lpr/+/+/detection'), true);
  assert.equal(filterCovered('lpr/+/+/detection', 'lpr/cp/cam-1/detection'), true);
  assert.equal(filterCovered('lpr/+/+/detection', 'lpr/#'), false, 'a wider filter is not covered');
  assert.equal(filterCovered('lpr/cp/+/detection', 'lpr/+/+/detection'), false, '+ is wider than one name');
  assert.equal(filterCovered('lpr/+/+/detection', 'lpr/+/+/health'), false);
  assert.equal(filterCovered('lpr/cp', 'lpr/cp/x'), false);
});

test('reserved topics: $-topics and the gateway tree', () => {
  assert.equal(isReservedTopic('$SYS/broker/load', 'lpr'), true);
  assert.equal(isReservedTopic('lpr/1/1/detection', 'lpr'), true);
  assert.equal(isReservedTopic('lpr', 'lpr'), true);
  assert.equal(isReservedTopic('lprx/1', 'lpr'), false);
  assert.equal(isReservedTopic('chat/x', 'lpr'), false);
});

test('passwords: scrypt hashes verify only the right password, salted per hash', async () => {
  const a = hashPassword('s3cret');
  const b = hashPassword('s3cret');
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('s3cret', a), true);
  assert.equal(await verifyPassword('s3cret ', a), false);
  assert.equal(await verifyPassword('s3cret', 'not-a-hash'), false);
});
