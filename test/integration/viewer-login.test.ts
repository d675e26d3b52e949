// Optional viewer login: the status page, its live feed, the read-back API and metrics
// need it; cameras, their statistics probe and health checks do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io } from 'socket.io-client';
import { hashPassword } from '../../src/auth/password.js';
import { contractDetection, fakeJpeg, postJson } from '../helpers/payloads.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';

test('viewer login protects the status page, its feed, read-back and metrics — not cameras', async () => {
  const gw = await startTestGateway({ admin: { viewerUser: 'ops', viewerPasswordHash: hashPassword('right-pass') } });
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  try {
    const det = await postJson(`${gw.url}/api/detection`, contractDetection({ annotated_image: fakeJpeg(2000).toString('base64') }));
    assert.equal(det.status, 200, 'cameras need no login');
    const stored = (await (await fetch(`${gw.url}/api/detections/${det.body.detection_id}`, { headers: { authorization: basic('ops', 'right-pass') } })).json()) as { data: { images: { sha256: string }[] } };
    const image = `/api/images/${stored.data.images[0]!.sha256}`;
    assert.equal((await fetch(`${gw.url}/api/statistics`)).status, 200, 'the deployed cameras\' probe stays open');
    assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
    for (const path of ['/', '/api/records', `/api/detections/${det.body.detection_id}`, '/metrics', image]) {
      const open = await fetch(gw.url + path);
      assert.equal(open.status, 401, path);
      assert.match(open.headers.get('www-authenticate') ?? '', /^Basic/);
      assert.equal((await fetch(gw.url + path, { headers: { authorization: basic('ops', 'wrong') } })).status, 401, path);
      assert.equal((await fetch(gw.url + path, { headers: { authorization: basic('opz', 'right-pass') } })).status, 401, `${path}: another user`);
      assert.equal((await fetch(gw.url + path, { headers: { authorization: basic('ops', 'right-pass') } })).status, 200, path);
    }
    const missing = await fetch(`${gw.url}/api/images/${'0'.repeat(64)}`, { headers: { authorization: basic('ops', 'right-pass') } });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
    const anonymous = io(`${gw.url}/status`, { transports: ['websocket'], reconnection: false });
    const refused = await new Promise<Error>((ok) => anonymous.once('connect_error', ok));
    assert.match(refused.message, /login required/);
    anonymous.close();
    const viewer = io(`${gw.url}/status`, { transports: ['websocket'], reconnection: false, extraHeaders: { authorization: basic('ops', 'right-pass') } });
    const snapshot = await new Promise<any>((ok) => viewer.once('snapshot', ok));
    viewer.close();
    assert.equal(snapshot.cameras[0].camera_id, '1');
  } finally {
    await gw.stop();
  }
});
