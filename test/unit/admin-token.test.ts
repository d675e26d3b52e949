// The admin token (auth/admin-token.ts): no token configured → the endpoints do not exist
// (404); none presented → 401; a wrong one → 403; as a Bearer header or the bare header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminRefusal } from '../../src/auth/admin-token.js';

test('off, missing, wrong, right', () => {
  const code = (configured: string, authorization?: string) => {
    const r = adminRefusal(configured, authorization === undefined ? {} : { authorization });
    return r ? [r.status, r.code] : 'ok';
  };
  assert.deepEqual(code('', 'Bearer anything'), [404, 'NOT_FOUND']);
  assert.deepEqual(code('t0ken'), [401, 'UNAUTHORIZED']);
  assert.deepEqual(code('t0ken', 'Bearer t0keN'), [403, 'FORBIDDEN']);
  assert.deepEqual(code('t0ken', 'Bearer t0ken'), 'ok');
  assert.deepEqual(code('t0ken', 'Bearer t0ken-and-more'), [403, 'FORBIDDEN'], 'a longer secret is no match');
});
