// Camera POSTs ahead of express (inbound/http/camera-posts.ts), on a real loopback server
// with a recording ingest: the plain case is taken and answered with the contract's body,
// the kind implied by the path; everything else falls through to express; the network
// allowlist, the size limit, bad JSON and the rate limit answer with their status and
// JSON error body, and are counted as refused.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { GatewayError } from '../../src/errors.js';
import type { AcceptContext, Ingest } from '../../src/ingest/ingest.js';
import { cameraPosts } from '../../src/inbound/http/camera-posts.js';

const accepted: { input: unknown; ctx: AcceptContext }[] = [];
const refused: string[] = [];
let allowed = true;
let limited = false;
const ingest: Ingest = {
  accept: async (input, ctx) => {
    accepted.push({ input, ctx });
    return { kind: ctx.impliedKind ?? 'detection', camera_id: 'c1', id: 'rec-1', seq: 1, duplicate: false };
  },
  refused: (error) => void refused.push(error.code),
};
const handle = cameraPosts({
  ingest, cameraAllowed: () => allowed, maxMessageBytes: 1000,
  rateLimit: { take: () => { if (limited) throw new GatewayError('RATE_LIMITED', 'slow down', { retryAfter: 1 }); } },
});
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(418).end('express');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((ok) => server.close(() => ok())));

const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(base + path, { method: 'POST', body, headers }).then(async (r) => ({ status: r.status, text: await r.text(), retry: r.headers.get('retry-after') }));

test('a plain camera POST: ingested with the kind its path implies, answered with the contract body', async () => {
  const r = await post('/api/health', '{"camera_id":"c1"}');
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.text), { success: true, message: 'Health data received', health_id: 'rec-1' });
  assert.equal(accepted.at(-1)!.ctx.impliedKind, 'health');
  assert.deepEqual(accepted.at(-1)!.input, { camera_id: 'c1' });
  const n = accepted.length;
  assert.equal((await post('/api/statistics?x=1', '{"type":"detection_result"}')).status, 200);
  assert.equal(accepted.length, n + 1);
  assert.equal(accepted.at(-1)!.ctx.impliedKind, undefined, 'the deployed endpoint: told by type');
});

test('anything else falls through to express', async () => {
  assert.equal((await post('/api/other', '{}')).status, 418);
  assert.equal((await post('/api/detection', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' })).status, 418);
  assert.equal((await post('/api/detection', '{}', { 'content-type': 'application/json; charset=latin1' })).status, 418);
  assert.equal((await fetch(`${base}/api/detection`)).status, 418, 'a GET');
});

test('refusals: address, size, JSON, rate — each its status and JSON body, each counted', async () => {
  const before = refused.length;
  allowed = false;
  const forbidden = await post('/api/detection', '{}');
  allowed = true;
  assert.equal(forbidden.status, 403);
  assert.equal(JSON.parse(forbidden.text).error.code, 'FORBIDDEN');
  const big = await post('/api/detection', JSON.stringify({ pad: 'x'.repeat(2000) }));
  assert.equal(big.status, 413);
  assert.equal(JSON.parse(big.text).error.code, 'PAYLOAD_TOO_LARGE');
  const bad = await post('/api/detection', '{"camera_id":');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).success, false);
  limited = true;
  const slow = await post('/api/detection', '{}');
  limited = false;
  assert.equal(slow.status, 429);
  assert.equal(slow.retry, '1');
  assert.deepEqual(refused.slice(before), ['FORBIDDEN', 'PAYLOAD_TOO_LARGE', JSON.parse(bad.text).error.code, 'RATE_LIMITED']);
});
