// Camera admission and limits: per-camera tokens (REST headers, Socket.IO auth.token),
// known-cameras-only mode, per-client rate limit, cap on images per record. Cameras
// without a configured token keep working with no credentials.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';
import { contractDetection, fakeJpeg } from '../helpers/payloads.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/detection`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

test('per-camera tokens over REST and Socket.IO; cameras without one need no credentials', async () => {
  const gw = await startTestGateway({ camera: { tokens: { t1: 'token-for-t1' } } });
  try {
    assert.equal((await post(gw.url, contractDetection({ camera_id: 't1' }))).body.error.code, 'UNAUTHORIZED');
    assert.equal((await post(gw.url, contractDetection({ camera_id: 't1' }), { authorization: 'Bearer wrong-token' })).status, 403);
    assert.equal((await post(gw.url, contractDetection({ camera_id: 't1' }), { authorization: 'Bearer token-for-t1' })).status, 200);
    assert.equal((await post(gw.url, contractDetection({ camera_id: 't1' }), { 'x-api-key': 'token-for-t1' })).status, 200);
    assert.equal((await post(gw.url, contractDetection({ camera_id: 'plain' }))).status, 200, 'no token configured: no credential needed');

    const withToken = io(gw.url, { transports: ['websocket'], auth: { token: 'token-for-t1' }, reconnection: false });
    await new Promise<void>((ok) => withToken.once('connect', () => ok()));
    const good = await new Promise<any>((ok) => withToken.emit('lpr_data', contractDetection({ camera_id: 't1' }), ok));
    assert.equal(good.success, true);
    withToken.close();

    const without = io(gw.url, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((ok) => without.once('connect', () => ok()));
    const refused = await new Promise<any>((ok) => without.emit('lpr_data', contractDetection({ camera_id: 't1' }), ok));
    assert.equal(refused.error.code, 'UNAUTHORIZED');
    without.close();

    const bogus = io(gw.url, { transports: ['websocket'], auth: { token: 'not-a-camera-token' }, reconnection: false });
    const err = await new Promise<any>((ok) => bogus.once('connect_error', ok));
    assert.equal(err.data.error.code, 'UNAUTHORIZED');
    bogus.close();
  } finally {
    await gw.stop();
  }
});

test('known-cameras-only mode refuses strangers', async () => {
  const gw = await startTestGateway({ camera: { knownOnly: true, known: ['k1'] } });
  try {
    assert.equal((await post(gw.url, contractDetection({ camera_id: 'k1' }))).status, 200);
    const stranger = await post(gw.url, contractDetection({ camera_id: 'stranger' }));
    assert.equal(stranger.status, 403);
    assert.equal(gw.gateway.log.stats().detections, 1);
  } finally {
    await gw.stop();
  }
});

test('per-client rate limit answers 429 with Retry-After, then lets the client in again', async () => {
  // One token every 2 s: the requests below cannot earn a new one on a busy box (at 5/s, a
  // loaded CI machine taking 200 ms per request did, and the sixth was let through).
  const gw = await startTestGateway({ http: { rateLimit: 0.5, rateBurst: 5 } });
  try {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(gw.url, contractDetection())).status);
    assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
    const limited = await post(gw.url, contractDetection());
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1);
    await sleep(retryAfter * 1000); // what a well-behaved camera does
    assert.equal((await post(gw.url, contractDetection())).status, 200);
  } finally {
    await gw.stop();
  }
});

test('a record with more images than camera.maxImages is refused', async () => {
  const gw = await startTestGateway({ camera: { maxImages: 2 } });
  try {
    const crop = fakeJpeg(100).toString('base64');
    assert.equal((await post(gw.url, contractDetection({ cropped_plates: [crop, crop] }))).status, 200);
    const tooMany = await post(gw.url, contractDetection({ cropped_plates: [crop, crop, crop] }));
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.message, /at most 2 images/);
  } finally {
    await gw.stop();
  }
});
