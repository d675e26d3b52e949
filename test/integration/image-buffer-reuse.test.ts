// Decoding buffers of big images are used again (src/ingest/image-buffers.ts): no stored
// image may ever carry bytes of another, whether requests run side by side, fail after
// their images were decoded, or are resends answered before their images are written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { imageBuffers } from '../../src/ingest/image-buffers.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { deployedDetection, fakeJpeg, postJson } from '../helpers/payloads.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('reused image buffers never mix images: concurrent posts, failures after decoding, resends', async () => {
  const gw = await startTestGateway({ http: { maxMessageBytes: '4MiB' } });
  try {
    const reusedBefore = imageBuffers.reused;
    const stored: { id: string; image: Buffer }[] = [];
    // 4 cameras at once, 8 rounds; sizes vary so buffers of one size serve another.
    for (let round = 0; round < 8; round++) {
      await Promise.all(Array.from({ length: 4 }, async (_, lane) => {
        const image = fakeJpeg(300_000 + ((round * 4 + lane) % 5) * 70_000);
        const body = deployedDetection({ original_image: image.toString('base64'), serial: `${round}-${lane}` });
        if (lane === 3 && round % 2 === 0) {
          // Decoded, then refused: its buffer is simply collected, never handed on half-used.
          const bad = await postJson(`${gw.url}/api/statistics`, { ...body, vehicles_count: 'many' });
          assert.equal(bad.status, 400, JSON.stringify(bad.body));
          return;
        }
        const first = await postJson(`${gw.url}/api/statistics`, body);
        assert.equal(first.status, 200, JSON.stringify(first.body));
        stored.push({ id: first.body.detection_id, image });
        if (lane === 2) {
          // A resend: answered from the dedupe index before its image is written again.
          const again = await postJson(`${gw.url}/api/statistics`, body);
          assert.equal(again.body.detection_id, first.body.detection_id);
        }
      }));
    }
    assert.ok(imageBuffers.reused - reusedBefore > 0, 'the run reused buffers (else it proves nothing)');
    for (const { id, image } of stored) {
      const rec = await (await fetch(`${gw.url}/api/detections/${id}`)).json() as { data: { images: { sha256: string; bytes: number }[] } };
      const [ref] = rec.data.images;
      assert.equal(ref!.sha256, sha256(image), `record ${id} names its own image`);
      const res = await fetch(`${gw.url}/api/images/${ref!.sha256}`);
      assert.equal(res.status, 200);
      const back = Buffer.from(await res.arrayBuffer());
      assert.equal(back.length, image.length);
      assert.ok(back.equals(image), `image of ${id} comes back byte for byte`);
    }
  } finally {
    await gw.stop();
  }
});
