// The viewer login (auth/viewer-check.ts, and its middleware in inbound/http/viewer-login.ts): open when none is configured; otherwise
// HTTP Basic against a scrypt hash — right user and password pass, a wrong user, a wrong
// password, another scheme or a malformed header do not — and the middleware answers 401
// with the Basic challenge and the error body.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword } from '../../src/auth/password.js';
import { createViewerCheck } from '../../src/auth/viewer-check.js';
import { requireViewer } from '../../src/inbound/http/viewer-login.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('no login configured: everything passes', async () => {
  const check = createViewerCheck(undefined);
  assert.equal(await check(undefined), true);
  assert.equal(await check('Bearer x'), true);
});

test('Basic against the scrypt hash: only the right pair passes', async () => {
  const check = createViewerCheck({ user: 'guard', passwordHash: await hashPassword('s3cret ก') });
  assert.equal(await check(basic('guard', 's3cret ก')), true);
  assert.equal(await check(basic('guard', 's3cret ก')), true, 'again (from the cache of verified credentials)');
  assert.equal(await check(basic('guard', 'wrong')), false);
  assert.equal(await check(basic('other', 's3cret ก')), false);
  assert.equal(await check(`Basic ${Buffer.from('no-colon').toString('base64')}`), false);
  assert.equal(await check(undefined), false);
  assert.equal(await check('Bearer s3cret'), false);
});

test('the middleware: next() for a viewer, else 401 with the challenge and a JSON body', async () => {
  const check = createViewerCheck({ user: 'guard', passwordHash: await hashPassword('pw') });
  const run = (authorization: string | undefined) => new Promise<{ next: boolean; status?: number; headers: Record<string, string>; body?: string }>((ok) => {
    const headers: Record<string, string> = {};
    const res = {
      statusCode: 200,
      setHeader: (k: string, v: string) => (headers[k.toLowerCase()] = v),
      getHeader: (k: string) => headers[k.toLowerCase()],
      status(code: number) { this.statusCode = code; return this; },
      writeHead(code: number, h?: Record<string, string>) { this.statusCode = code; Object.assign(headers, h); return this; },
      end(body?: string) { ok({ next: false, status: this.statusCode, headers, body }); },
      json(body: unknown) { ok({ next: false, status: this.statusCode, headers, body: JSON.stringify(body) }); },
      type() { return this; },
      send(body: string) { ok({ next: false, status: this.statusCode, headers, body }); },
    };
    requireViewer(check)({ headers: { authorization } } as never, res as never, () => ok({ next: true, headers }));
  });
  assert.equal((await run(basic('guard', 'pw'))).next, true);
  const refused = await run(basic('guard', 'nope'));
  assert.equal(refused.next, false);
  assert.equal(refused.status, 401);
  assert.match(refused.headers['www-authenticate'] ?? '', /^Basic realm="lpr-gateway"/);
  assert.equal(JSON.parse(refused.body!).error.code, 'UNAUTHORIZED');
});
