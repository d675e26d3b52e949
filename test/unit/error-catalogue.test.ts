// The error catalogue is the contract with every client: each code's status and meaning in
// src/errors.ts, and the README's table that operators and camera vendors read, say the
// same thing — a code added, renumbered or reworded in one place only fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { readdirSync } from 'node:fs';
import { ERROR_CATALOGUE, ERRORS, errorBody, GatewayError, gatewayError, toGatewayError, type ErrorCode } from '../../src/errors.js';
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

test('every code has its errors in the one table, and no error is made anywhere else', () => {
  const used = new Set(Object.values(ERRORS).map((e) => e.code as ErrorCode));
  assert.deepEqual(Object.keys(ERROR_CATALOGUE).filter((c) => !used.has(c as ErrorCode)), [], 'a code no entry of ERRORS uses');
  const src = join(ROOT, 'src');
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  const elsewhere = files(src).filter((f) => !f.endsWith(`${join('src', 'errors.ts')}`) && /new GatewayError\(/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(elsewhere.map((f) => relative(ROOT, f)), [], 'an error written outside ERRORS (src/errors.ts)');
  for (const [name, spec] of Object.entries(ERRORS)) {
    if (typeof spec.message === 'function') assert.ok(!/=/.test(spec.message.toString().split('=>')[0]!), `${name}: a template takes no default parameters (its arity places the options)`);
  }
});

test('gatewayError fills the template with its values; fields and the wait come from the entry unless the site gives its own', () => {
  const parked = gatewayError('NOT_PARKED', 42);
  assert.deepEqual([parked.code, parked.status, parked.message, parked.fields, parked.retryAfter], ['NOT_FOUND', 404, 'record 42 is not parked', undefined, undefined]);
  const image = gatewayError('IMAGE_NOT_BASE64', 'image');
  assert.deepEqual(errorBody(image), { success: false, message: 'image is not valid base64', error: { code: 'INVALID_IMAGE', fields: [{ path: 'image', message: 'not valid base64' }] } });
  const floor = gatewayError('DISK_FLOOR', 10, 100);
  assert.deepEqual([floor.status, floor.retryAfter, floor.message], [507, 60, "the gateway's disk is full (10 bytes free, floor 100); resend later"]);
  const cause = new Error('EIO');
  const failed = gatewayError('STORE_WRITE_FAILED', { cause, retryAfter: 9 });
  assert.deepEqual([failed.code, failed.retryAfter, failed.cause], ['STORE_UNAVAILABLE', 9, cause], 'options after no values');
  const listed = gatewayError('FIELD_INVALID', 'a', 'bad', { fields: [{ path: 'a', message: 'bad' }, { path: 'b', message: 'worse' }] });
  assert.equal(listed.message, 'a: bad');
  assert.equal(listed.fields?.length, 2, 'the site lists every field');
  assert.equal(gatewayError('BODY_INCOMPLETE', '').message, 'request body was incomplete');
  assert.equal(gatewayError('TYPE_UNKNOWN', { x: 1 }).message, 'unknown type {"x":1}', 'a value that is an object is a value, not options');
});
