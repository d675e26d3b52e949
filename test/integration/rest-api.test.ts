// REST transport against a real in-process gateway: every contract endpoint, the deployed
// cameras' endpoints and quirks, dedupe, size limits, bad input, reading back.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { contractDetection, deployedDetection, deployedHealth, fakeJpeg, getJson, postJson } from '../helpers/payloads.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { scrape } from '../helpers/metrics.js';

describe('REST API', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ http: { maxMessageBytes: '4MiB' } });
  });
  after(() => gw.stop());

  test('GET /api/test and GET /api/statistics answer the contract shape', async () => {
    const t = await getJson(`${gw.url}/api/test`);
    assert.equal(t.status, 200);
    assert.equal(t.body.success, true);
    assert.equal(t.body.message, 'Server is running');
    assert.ok(!Number.isNaN(Date.parse(t.body.timestamp)));
    const s = await getJson(`${gw.url}/api/statistics`);
    assert.equal(s.status, 200);
    assert.equal(s.body.success, true);
    for (const k of ['total_detections', 'total_cameras', 'last_update']) assert.ok(k in s.body.data, k);
  });

  test('contract endpoints: register, detection, health', async () => {
    const reg = await postJson(`${gw.url}/api/cameras/register`, { camera_id: '1', checkpoint_id: '1', timestamp: '2024-12-19T10:00:00Z' });
    assert.equal(reg.status, 200);
    assert.equal(reg.body.message, 'Camera registered successfully');
    assert.equal(reg.body.camera_id, '1');
    const det = await postJson(`${gw.url}/api/detection`, contractDetection());
    assert.equal(det.status, 200);
    assert.deepEqual(Object.keys(det.body).slice(0, 3), ['success', 'message', 'detection_id']);
    assert.equal(det.body.message, 'Detection data received');
    assert.match(det.body.detection_id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const health = await postJson(`${gw.url}/api/health`, { type: 'health_check', camera_id: '1', checkpoint_id: '1', timestamp: '2024-12-19T10:00:00Z', component: 'camera', status: 'healthy', message: 'ok', details: { cpu_usage: 10 } });
    assert.equal(health.status, 200);
    assert.equal(health.body.message, 'Health data received');
    const stored = await getJson(`${gw.url}/api/detections/${det.body.detection_id}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.data.camera_id, '1');
    assert.equal((await getJson(`${gw.url}/api/records/${health.body.health_id}`)).body.data.level, 'healthy');
  });

  test('deployed cameras: POST /api/statistics and /api/data dispatch on type, quirks normalised', async () => {
    const body = deployedDetection({ original_image: fakeJpeg(20_000).toString('base64') });
    const det = await postJson(`${gw.url}/api/statistics`, body);
    assert.equal(det.status, 200);
    const h = await postJson(`${gw.url}/api/data`, deployedHealth());
    assert.equal(h.status, 200);
    assert.ok(h.body.health_id);
    const rec = (await getJson(`${gw.url}/api/records/${det.body.detection_id}`)).body.data;
    assert.equal(rec.camera_id, '7');
    assert.equal(rec.aicamera_id, undefined, 'aicamera_id became camera_id');
    assert.deepEqual(rec.ocr_results, JSON.parse(body.ocr_results as string), 'list text parsed, once');
    assert.deepEqual(rec.plates, ['กข 1234']);
    assert.equal(rec.vehicle_detections[0].category_id, 2);
    assert.equal(rec.firmware, 'v2.3.1', 'unknown fields kept');
    assert.equal(rec.images[0].name, 'original_image');
    assert.equal(rec.images[0].bytes, 20_000);
    assert.equal(rec.original_image, undefined, 'image payload is not inside the record');
    assert.equal(rec.detection_id, det.body.detection_id);
    assert.equal(rec.kind, 'detection');
    const img = await fetch(`${gw.url}/api/images/${rec.images[0].sha256}`);
    const bytes = Buffer.from(await img.arrayBuffer());
    assert.equal(createHash('sha256').update(bytes).digest('hex'), rec.images[0].sha256);
  });

  test('a body without Content-Type is still read as JSON', async () => {
    const res = await fetch(`${gw.url}/api/statistics`, { method: 'POST', body: JSON.stringify(deployedHealth()) });
    assert.equal(res.status, 200);
  });

  test('resends inside the window return the original id and are stored once', async () => {
    const body = deployedDetection({ original_image: fakeJpeg(1000).toString('base64') });
    const before = (await getJson(`${gw.url}/api/statistics`)).body.data.total_detections;
    const first = await postJson(`${gw.url}/api/statistics`, body);
    const results = await Promise.all([1, 2, 3].map(() => postJson(`${gw.url}/api/statistics`, body)));
    for (const r of results) {
      assert.equal(r.status, 200);
      assert.equal(r.body.detection_id, first.body.detection_id);
      assert.equal(r.body.duplicate, true);
    }
    const afterCount = (await getJson(`${gw.url}/api/statistics`)).body.data.total_detections;
    assert.equal(afterCount, before + 1);
  });

  test('a 3 MB image passes; one over the limit gets 413 with a JSON body and nothing stored', async () => {
    const big = fakeJpeg(3 * 1024 * 1024 * 0.75); // 3 MB of base64
    const ok = await postJson(`${gw.url}/api/statistics`, deployedDetection({ original_image: big.toString('base64') }));
    assert.equal(ok.status, 200);
    // Big bodies have their images taken from the bytes (lift-images.ts): same files, same records.
    const crop = fakeJpeg(200_000);
    const dataUrl = await postJson(`${gw.url}/api/statistics`, deployedDetection({ annotated_image: `data:image/jpeg;base64,${crop.toString('base64')}`, original_image: big.toString('base64') }));
    assert.equal(dataUrl.status, 200);
    const rec = (await getJson(`${gw.url}/api/records/${dataUrl.body.detection_id}`)).body.data;
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.deepEqual(rec.images.map((i: { name: string; sha256: string; bytes: number }) => [i.name, i.sha256, i.bytes]), [
      ['original_image', sha(big), big.length], ['annotated_image', sha(crop), crop.length]]);
    assert.equal(rec.original_image, undefined);
    const served = Buffer.from(await (await fetch(`${gw.url}/api/images/${sha(crop)}`)).arrayBuffer());
    assert.ok(served.equals(crop));
    const blobFiles = readdirSync(join(gw.dataDir, 'blobs'), { recursive: true }).length;
    const lastSeq = gw.gateway.log.lastSeq();
    const tooBig = await postJson(`${gw.url}/api/statistics`, deployedDetection({ original_image: fakeJpeg(4 * 1024 * 1024).toString('base64') }));
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.success, false);
    assert.equal(tooBig.body.error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(gw.gateway.log.lastSeq(), lastSeq);
    assert.equal(readdirSync(join(gw.dataDir, 'blobs'), { recursive: true }).length, blobFiles);
  });

  test('big bodies (read as bytes, images lifted): a BOM is fine; bad JSON, bad base64 and a hang-up get their errors and store nothing', async () => {
    const image = fakeJpeg(150_000);
    const text = JSON.stringify(deployedDetection({ aicamera_id: 'bom', original_image: image.toString('base64') }));
    const bom = await fetch(`${gw.url}/api/statistics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `\ufeff${text}` });
    assert.equal(bom.status, 200);
    const rec = (await getJson(`${gw.url}/api/records/${((await bom.json()) as { detection_id: string }).detection_id}`)).body.data;
    assert.equal(rec.images[0].sha256, createHash('sha256').update(image).digest('hex'));
    const lastSeq = gw.gateway.log.lastSeq();
    const badJson = await fetch(`${gw.url}/api/statistics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${text.slice(0, -1)},}` });
    assert.equal(badJson.status, 400);
    assert.equal(((await badJson.json()) as { error: { code: string } }).error.code, 'INVALID_JSON');
    const badImage = await postJson(`${gw.url}/api/statistics`, deployedDetection({ original_image: `${image.toString('base64').slice(0, 100_000)}*` }));
    assert.equal(badImage.status, 400);
    assert.equal(badImage.body.error.code, 'INVALID_IMAGE');
    const incomplete = async () => ((await scrape(gw.url))('lprgw_ingest_rejections_total', { transport: 'rest', code: 'INVALID_BODY' }) || 0);
    const before = await incomplete();
    const sock = connect(Number(new URL(gw.url).port), '127.0.0.1');
    await new Promise((ok) => sock.once('connect', ok));
    sock.write(`POST /api/statistics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 300000\r\n\r\n${text.slice(0, 100_000)}`);
    await new Promise((ok) => setImmediate(ok));
    sock.destroy();
    for (let i = 0; i < 100 && (await incomplete()) === before; i++) await new Promise((ok) => setTimeout(ok, 20));
    assert.equal(await incomplete(), before + 1);
    assert.equal(gw.gateway.log.lastSeq(), lastSeq);
  });

  test('bad input: clear error, nothing stored, server stays up', async () => {
    const lastSeq = gw.gateway.log.lastSeq();
    const cases: [unknown, number, string][] = [
      ['{"type": "detection_result", ', 400, 'INVALID_JSON'],
      ['[1,2,3]', 400, 'INVALID_BODY'],
      ['"text"', 400, 'INVALID_BODY'],
      [{ ...contractDetection(), camera_id: 'a/b' }, 400, 'INVALID_ID'],
      [{ ...contractDetection(), camera_id: '' }, 400, 'INVALID_ID'],
      [{ ...contractDetection(), camera_id: 'x'.repeat(65) }, 400, 'INVALID_ID'],
      [{ ...contractDetection(), checkpoint_id: 'cp#1' }, 400, 'INVALID_ID'],
      [{ ...contractDetection(), timestamp: '2024-99-99' }, 400, 'INVALID_TIMESTAMP'],
      [{ ...contractDetection(), vehicles_count: 'many' }, 400, 'VALIDATION_FAILED'],
      [{ ...contractDetection(), plates_count: undefined }, 400, 'VALIDATION_FAILED'],
      [{ ...contractDetection(), annotated_image: '###' }, 400, 'INVALID_IMAGE'],
      [{ ...contractDetection(), type: 'nonsense' }, 400, 'UNKNOWN_TYPE'],
    ];
    for (const [body, status, code] of cases) {
      const res = await postJson(`${gw.url}/api/statistics`, body);
      assert.equal(res.status, status, `${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.success, false);
      assert.equal(res.body.error.code, code);
      assert.equal(typeof res.body.message, 'string');
    }
    const empty = await fetch(`${gw.url}/api/detection`, { method: 'POST' });
    assert.equal(empty.status, 400);
    assert.equal(gw.gateway.log.lastSeq(), lastSeq);
    assert.equal((await getJson(`${gw.url}/api/test`)).status, 200);
  });

  test('unknown routes and records are JSON 404s; paging reads the log in order', async () => {
    const missing = await getJson(`${gw.url}/api/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'NOT_FOUND');
    assert.equal((await getJson(`${gw.url}/api/detections/none`)).status, 404);
    const page = await getJson(`${gw.url}/api/records?after=0&limit=3`);
    assert.deepEqual(page.body.data.map((r: { seq: number }) => r.seq), [1, 2, 3]);
    assert.equal(page.body.next_after, 3);
    assert.equal((await getJson(`${gw.url}/api/records?limit=abc`)).status, 400);
  });
});

describe('camera POSTs ahead of express and through it answer alike', () => {
  // Plain JSON POSTs to the exact camera paths are served by node:http directly
  // (camera-posts.ts); gzip bodies, other content types and other spellings of a path go
  // through express. A camera must not be able to tell which one answered.
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ http: { maxMessageBytes: '64KiB' } });
  });
  after(() => gw.stop());

  const send = async (path: string, body: Buffer | string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gw.url}${path}`, { method: 'POST', body, headers });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() as Record<string, unknown> };
  };
  const json = (v: unknown) => JSON.stringify(v);

  test('stored, answered and refused the same way on both paths', async () => {
    const variants: [string, (b: string) => Promise<Awaited<ReturnType<typeof send>>>][] = [
      ['plain (ahead of express)', (b) => send('/api/statistics', b, { 'content-type': 'application/json' })],
      ['no content type, query string, BOM (ahead of express)', (b) => send('/api/statistics?x=1', `\ufeff${b}`)],
      ['gzip body (express)', (b) => send('/api/statistics', gzipSync(b), { 'content-type': 'application/json', 'content-encoding': 'gzip' })],
      ['text/plain (express)', (b) => send('/api/statistics', b, { 'content-type': 'text/plain' })],
      ['trailing slash, upper case (express)', (b) => send('/API/Statistics/', b, { 'content-type': 'application/json' })],
    ];
    for (const [name, post] of variants) {
      const ok = await post(json(deployedDetection({ aicamera_id: 'fast-1', created_at: `2025-01-01 00:00:0${variants.findIndex((v) => v[0] === name)}` })));
      assert.equal(ok.status, 200, `${name}: ${json(ok.body)}`);
      assert.equal(ok.type, 'application/json; charset=utf-8', name);
      assert.deepEqual(Object.keys(ok.body).slice(0, 3), ['success', 'message', 'detection_id'], name);
      const stored = await gw.gateway.log.getById(ok.body.detection_id as string);
      assert.equal(stored?.camera_id, 'fast-1', name);
      const afterOk = gw.gateway.log.lastSeq();

      const bad = await post('{"type": "detection_result", ');
      assert.equal(bad.status, 400, name);
      assert.equal((bad.body.error as { code: string }).code, 'INVALID_JSON', name);
      const big = await post(json(deployedDetection({ note: 'x'.repeat(70 * 1024) })));
      assert.equal(big.status, 413, name);
      assert.equal((big.body.error as { code: string }).code, 'PAYLOAD_TOO_LARGE', name);
      assert.equal(gw.gateway.log.lastSeq(), afterOk, `${name}: nothing more stored`);
    }
  });

  test('a client that hangs up mid-body stores nothing and the gateway keeps serving; a chunked body under the limit is taken', async () => {
    const before = gw.gateway.log.lastSeq();
    const incomplete = async () => ((await scrape(gw.url))('lprgw_ingest_rejections_total', { transport: 'rest', code: 'INVALID_BODY' }) || 0);
    const refusedBefore = await incomplete();
    for (const path of ['/api/statistics', '/api/statistics/']) { // ahead of express, and through it
      const port = Number(new URL(gw.url).port);
      const sock = connect(port, '127.0.0.1');
      await new Promise((ok) => sock.once('connect', ok));
      sock.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n{"type":"detection_result","note":"`);
      await new Promise((ok) => setImmediate(ok));
      sock.destroy();
      await new Promise((ok) => sock.once('close', ok));
    }
    // Both hang-ups reached a handler (counted as incomplete bodies), not just the socket.
    for (let i = 0; i < 100 && (await incomplete()) < refusedBefore + 2; i++) await new Promise((ok) => setTimeout(ok, 20));
    assert.equal(await incomplete(), refusedBefore + 2);
    const chunked = JSON.stringify(deployedDetection({ aicamera_id: 'chunked' }));
    const res = await postChunked(`${gw.url}/api/statistics`, [chunked.slice(0, 40), chunked.slice(40)]);
    assert.equal(res.status, 200, res.body);
    const stored = await gw.gateway.log.getById(JSON.parse(res.body).detection_id);
    assert.equal(stored?.camera_id, 'chunked');
    assert.ok(gw.gateway.log.lastSeq() > before);
    assert.equal((await gw.gateway.log.readAfter(before, 100)).filter((r) => r.kind === 'detection').length, 1, 'only the chunked record');
  });

  test('a body over the limit sent without a length (chunked) is refused with 413 JSON', async () => {
    const before = gw.gateway.log.lastSeq();
    const res = await postChunked(`${gw.url}/api/statistics`, ['{"type":"detection_result","note":"', 'y'.repeat(40 * 1024), 'y'.repeat(40 * 1024), '"}']);
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.body).error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(gw.gateway.log.lastSeq(), before);
  });
});

/** POSTs `parts` with Transfer-Encoding: chunked (no Content-Length); resolves on the answer. */
function postChunked(url: string, parts: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const p of parts) req.write(p);
    req.end();
  });
}

describe('camera network allowlist', () => {
  test('a camera outside camera.networks gets 403 and nothing is stored', async () => {
    const gw = await startTestGateway({ camera: { networks: ['10.0.0.0/8'] } });
    try {
      const res = await postJson(`${gw.url}/api/statistics`, deployedDetection());
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'FORBIDDEN');
      assert.equal(gw.gateway.log.lastSeq(), 0);
      assert.equal((await getJson(`${gw.url}/api/statistics`)).status, 200, 'the probe still answers');
    } finally {
      await gw.stop();
    }
  });
});

describe('disk-floor admission', () => {
  test('below the free-space floor new records get 507 + Retry-After and nothing is stored', async () => {
    const gw = await startTestGateway({ store: { diskFreeMinBytes: '1TB' } });
    try {
      const res = await postJson(`${gw.url}/api/statistics`, deployedDetection());
      assert.equal(res.status, 507);
      assert.equal(res.body.error.code, 'STORE_FULL');
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      assert.equal(gw.gateway.log.lastSeq(), 0);
    } finally {
      await gw.stop();
    }
  });
});
