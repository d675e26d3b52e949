// Socket.IO transport against a real in-process gateway with socket.io-client v4 and v2
// (Engine.IO 4 and 3), over WebSocket and polling: events, both reply paths, size limits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contractDetection, deployedDetection, deployedHealth, fakeJpeg, getJson } from '../helpers/payloads.js';
import { connectCamera, type ClientFlavour } from '../helpers/socket-clients.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';

const FLAVOURS: ClientFlavour[] = ['v4-websocket', 'v4-polling', 'v2-polling', 'v2-websocket'];

describe('Socket.IO cameras', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ http: { maxMessageBytes: '5MiB' } });
  });
  after(() => gw.stop());

  for (const flavour of FLAVOURS) {
    test(`${flavour}: register, detection, health, ping; replies by ack and by named event`, async () => {
      const cam = await connectCamera(gw.url, flavour);
      try {
        const registered = cam.next('register_response');
        cam.emit('camera_register', { camera_id: `sio-${flavour}`, checkpoint_id: '1', timestamp: new Date().toISOString() });
        assert.equal((await registered).message, 'Camera registered successfully');

        const named = cam.next('lpr_response');
        const acked = new Promise<any>((ok) => cam.emit('lpr_data', contractDetection({ camera_id: `sio-${flavour}` }), ok));
        const [a, b] = await Promise.all([acked, named]);
        assert.equal(a.success, true);
        assert.equal(a.message, 'Detection data received');
        assert.equal(a.detection_id, b.detection_id);
        const stored = await getJson(`${gw.url}/api/detections/${a.detection_id}`);
        assert.equal(stored.body.data.source, 'socketio');

        const health = cam.next('health_response');
        cam.emit('health_status', deployedHealth({ aicamera_id: `sio-${flavour}` }));
        assert.ok((await health).health_id);

        if (flavour.startsWith('v4')) {
          // socket.io-client v2 reserves 'ping'/'pong' for its own heartbeats.
          const pong = cam.next('pong');
          cam.emit('ping', { type: 'test', message: 'Hello from AI Camera', timestamp: new Date().toISOString() });
          assert.equal((await pong).success, true);
        }
      } finally {
        cam.close();
      }
    });

    test(`${flavour}: a 3 MB image passes without registering first`, async () => {
      const cam = await connectCamera(gw.url, flavour);
      try {
        const image = fakeJpeg(2.25 * 1024 * 1024).toString('base64'); // 3 MB of base64
        const reply = cam.next('lpr_response', 20_000);
        cam.emit('lpr_data', deployedDetection({ aicamera_id: `big-${flavour}`, original_image: image }));
        const body = await reply;
        assert.equal(body.success, true, JSON.stringify(body));
        const rec = (await getJson(`${gw.url}/api/detections/${body.detection_id}`)).body.data;
        assert.equal(rec.images[0].bytes, Math.floor(2.25 * 1024 * 1024));
      } finally {
        cam.close();
      }
    });
  }

  test('bad input and over-limit messages get error + named reply + ack, connection stays usable', async () => {
    const cam = await connectCamera(gw.url, 'v4-websocket');
    try {
      const before = gw.gateway.log.lastSeq();
      const err = cam.next('error');
      const ack = new Promise<any>((ok) => cam.emit('lpr_data', { ...contractDetection(), camera_id: 'a/b' }, ok));
      assert.equal((await ack).error.code, 'INVALID_ID');
      assert.equal((await err).error.code, 'INVALID_ID');

      const tooBig = new Promise<any>((ok) => cam.emit('lpr_data', deployedDetection({ original_image: fakeJpeg(4.5 * 1024 * 1024).toString('base64') }), ok));
      const body = await tooBig;
      assert.equal(body.success, false);
      assert.equal(body.error.code, 'PAYLOAD_TOO_LARGE');
      assert.equal(gw.gateway.log.lastSeq(), before);

      const ok = new Promise<any>((done) => cam.emit('lpr_data', contractDetection(), done));
      assert.equal((await ok).success, true);
    } finally {
      cam.close();
    }
  });

  test('a Socket.IO resend with a new timestamp but the same created_at is stored once', async () => {
    const cam = await connectCamera(gw.url, 'v4-websocket');
    try {
      const body = deployedDetection();
      const first = await new Promise<any>((ok) => cam.emit('lpr_data', body, ok));
      const resend = await new Promise<any>((ok) => cam.emit('lpr_data', { ...body, timestamp: new Date().toISOString() }, ok));
      assert.equal(resend.detection_id, first.detection_id);
      assert.equal(resend.duplicate, true);
    } finally {
      cam.close();
    }
  });
});

describe('Socket.IO allowlist', () => {
  test('a camera outside camera.networks is refused at connect with a code', async () => {
    const gw = await startTestGateway({ camera: { networks: ['10.0.0.0/8'] } });
    try {
      await assert.rejects(connectCamera(gw.url, 'v4-websocket'), (err: Error & { data?: { error?: { code?: string } } }) => {
        assert.equal(err.data?.error?.code, 'FORBIDDEN');
        return true;
      });
    } finally {
      await gw.stop();
    }
  });
});
