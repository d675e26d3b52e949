// The free-space floor under a fast stream of large images: free space on the data
// filesystem never falls below the floor minus the largest message admitted, every answer is
// 200 or 507 + Retry-After, nothing written fails with ENOSPC, and every acknowledged record
// reads back. (One statfs reading trusted for a second let 2 MB images fill a 120 MB disk
// past a 40 MB floor to 24 KB free.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnGateway } from '../helpers/gateway-process.js';
import { contractDetection, fakeJpeg, getJson, postJson } from '../helpers/payloads.js';
import { SmallDisk } from '../helpers/small-disk.js';

const MB = 1024 * 1024;
const IMAGE = 2 * MB;

test('a fast stream of 2 MB images with a floor set: refused at the floor, never ENOSPC, every ack reads back', async () => {
  const disk = SmallDisk.mount(96 * MB);
  const floor = 32 * MB;
  const gw = await spawnGateway({ LPRGW_DATA_DIR: join(disk.dir, 'data'), LPRGW_DISK_FREE_MIN_BYTES: String(floor) });
  let minFree = disk.freeBytes();
  const sampler = setInterval(() => {
    minFree = Math.min(minFree, disk.freeBytes());
  }, 2);
  try {
    const acked: string[] = [];
    const answers: { status: number; retryAfter: string | null }[] = [];
    // Four cameras back to back, each sending the next image as soon as the last is answered,
    // until the gateway has refused several in a row: well past where the floor lies.
    let refusedInARow = 0;
    const camera = async (n: number) => {
      while (refusedInARow < 12) {
        const base64 = fakeJpeg(IMAGE).toString('base64');
        const res = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: `floor${n}`, annotated_image: base64 }));
        answers.push({ status: res.status, retryAfter: res.headers.get('retry-after') });
        if (res.status === 200) {
          acked.push(res.body.detection_id as string);
          refusedInARow = 0;
        } else refusedInARow += 1;
      }
    };
    await Promise.all([0, 1, 2, 3].map(camera));
    clearInterval(sampler);
    minFree = Math.min(minFree, disk.freeBytes());

    const odd = answers.filter((a) => a.status !== 200 && !(a.status === 507 && a.retryAfter));
    assert.deepEqual(odd, [], 'every answer is 200 or 507 with Retry-After');
    assert.ok(acked.length >= 10, `images were stored until the floor (${acked.length})`);
    assert.ok(minFree >= floor - IMAGE * 1.5, `free space stayed above the floor minus one message: lowest ${minFree}, floor ${floor}`);
    const failures = gw.logs.filter((l) => /ENOSPC|no space left|store write failed/i.test(l));
    assert.deepEqual(failures, [], 'nothing written failed with ENOSPC');
    for (const id of acked) assert.equal((await getJson(`${gw.url}/api/detections/${id}`)).status, 200, `acknowledged ${id} reads back`);
  } finally {
    clearInterval(sampler);
    gw.child.kill('SIGKILL');
    await gw.exited;
    disk.dispose();
  }
});
