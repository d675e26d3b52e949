// The error catalogue is the contract with every client: each code's status and meaning in
// src/errors.ts, and the README's table that operators and camera vendors read, say the
// same thing — a code added, renumbered or reworded in one place only fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERROR_CATALOGUE, errorBody, GatewayError, toGatewayError } from '../../src/errors.js';
import { ROOT } from '../helpers/built-gateway.js';

test('every error code is in the README table with its status and meaning, and nothing else is', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows = new Map<string, { status: number; meaning: string }>();
  for (const m of readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm)) rows.set(m[1]!, { status: Number(m[2]), meaning: m[3]! });
  assert.deepEqual(Object.fromEntries(rows), ERROR_CATALOGUE);
});

test('a GatewayError takes its status from the catalogue; its body carries code, fields and retry_after', () => {
  const e = new GatewayError('STORE_FULL', "the gateway's disk is full; resend later", { retryAfter: 30, fields: [{ path: 'x', message: 'y' }] });
  assert.equal(e.status, 507);
  assert.deepEqual(errorBody(e), { success: false, message: "the gateway's disk is full; resend later", error: { code: 'STORE_FULL', fields: [{ path: 'x', message: 'y' }], retry_after: 30 } });
  const internal = toGatewayError(new Error('boom'));
  assert.equal(internal.code, 'INTERNAL');
  assert.equal(internal.status, 500);
  assert.equal((internal.cause as Error).message, 'boom', 'the cause is kept for the log');
  assert.equal(toGatewayError(e), e);
});
