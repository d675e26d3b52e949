// Credentials are read one way for camera REST, Socket.IO and admin routes, and compared
// in constant time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialFrom, sameSecret } from '../../src/auth/credentials.js';

test('Bearer, X-API-Key and Socket.IO auth.token, in that precedence from the handshake', () => {
  assert.equal(credentialFrom({ authorization: 'Bearer  tok-1 ' }), 'tok-1');
  assert.equal(credentialFrom({ 'x-api-key': 'key-1' }), 'key-1');
  assert.equal(credentialFrom({ authorization: 'Bearer tok-1', 'x-api-key': 'key-1' }), 'tok-1');
  assert.equal(credentialFrom({ authorization: 'Bearer tok-1' }, { token: 'sock-1' }), 'sock-1');
  assert.equal(credentialFrom({ authorization: 'Basic dXNlcjpwYXNz' }), undefined, 'Basic is the viewer login, not a token');
  assert.equal(credentialFrom({ authorization: 'Bearer ' }), undefined);
  assert.equal(credentialFrom({}, { token: '' }), undefined);
  assert.equal(credentialFrom({}, { token: 42 }), undefined);
});

test('sameSecret: equal only when equal, whatever the lengths', () => {
  assert.equal(sameSecret('s3cret-token', 's3cret-token'), true);
  assert.equal(sameSecret('s3cret-token', 's3cret-tokem'), false);
  assert.equal(sameSecret('s3cret', 's3cret-token'), false);
  assert.equal(sameSecret('', 'x'), false);
});
