// /metrics read by a Prometheus text-format parser, /healthz and /readyz.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectCamera } from '../helpers/socket-clients.js';
import { contractDetection, fakeJpeg, getJson, postJson } from '../helpers/payloads.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { scrape } from '../helpers/metrics.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

test('metrics count accepted, duplicate and rejected messages by transport and code', async () => {
  const gw = await startTestGateway({ http: { maxMessageBytes: '64KiB' }, mqtt: { enabled: true, host: '127.0.0.1', port: 0 } });
  try {
    const before = await scrape(gw.url);
    assert.equal(before('lprgw_ingest_messages_total', { result: 'accepted' }), 0);
    assert.ok(before('lprgw_nodejs_eventloop_lag_seconds') >= 0, 'event-loop lag is exported');
    const body = contractDetection();
    await postJson(`${gw.url}/api/detection`, body);
    await postJson(`${gw.url}/api/detection`, body);
    await postJson(`${gw.url}/api/detection`, { ...contractDetection(), camera_id: 'a/b' });
    await postJson(`${gw.url}/api/detection`, contractDetection({ annotated_image: fakeJpeg(100_000).toString('base64') }));
    const cam = await connectCamera(gw.url, 'v4-websocket');
    await new Promise((ok) => cam.emit('lpr_data', contractDetection(), ok));
    await new Promise((ok) => cam.emit('lpr_data', contractDetection({ original_image: fakeJpeg(100_000).toString('base64') }), ok));
    cam.close();
    const after = await scrape(gw.url);
    assert.equal(after('lprgw_ingest_messages_total', { transport: 'rest', kind: 'detection', result: 'accepted' }), 1);
    assert.equal(after('lprgw_ingest_messages_total', { transport: 'rest', result: 'duplicate' }), 1);
    assert.equal(after('lprgw_ingest_messages_total', { transport: 'socketio', result: 'accepted' }), 1);
    assert.equal(after('lprgw_ingest_rejections_total', { transport: 'rest', code: 'INVALID_ID' }), 1);
    assert.equal(after('lprgw_ingest_rejections_total', { transport: 'rest', code: 'PAYLOAD_TOO_LARGE' }), 1);
    assert.equal(after('lprgw_ingest_rejections_total', { transport: 'socketio', code: 'PAYLOAD_TOO_LARGE' }), 1);
    assert.equal(after('lprgw_log_last_seq'), gw.gateway.log.lastSeq());
    assert.equal(after.count('lprgw_consumer_lag_records', { consumer: 'local' }), 1, 'the local consumer has a lag sample');
    // Everything stored is delivered to the local broker, and the lag says so.
    await waitUntil(async () => (await scrape(gw.url))('lprgw_consumer_lag_records', { consumer: 'local' }) === 0, 10_000, 'the local consumer lag to reach 0');
    assert.equal((await scrape(gw.url))('lprgw_consumer_lag_records', { consumer: 'local' }), gw.gateway.log.lastSeq() - gw.gateway.deliveredSeq());
    assert.equal(after('lprgw_uplink_connected'), 0);
  } finally {
    await gw.stop();
  }
});

test('/healthz answers; /readyz reports log, broker and uplink', async () => {
  const gw = await startTestGateway({ mqtt: { enabled: true, host: '127.0.0.1', port: 0 } });
  try {
    assert.equal((await getJson(`${gw.url}/healthz`)).body.status, 'ok');
    const ready = await getJson(`${gw.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual([ready.body.log, ready.body.mqtt, ready.body.uplink], ['open', 'listening', 'disabled']);
  } finally {
    await gw.stop();
  }
});
