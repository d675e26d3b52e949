// A store that cannot open at start is not a crash loop: the gateway comes up, refuses
// camera messages with the reason (507 STORE_FULL on a full disk, 503 STORE_UNAVAILABLE
// otherwise, with Retry-After, over REST and Socket.IO), says why on /readyz, /metrics,
// /api/statistics and `lpr-gateway status`, keeps trying to open (≤ 10 s apart), and
// serves normally once it can, with every record acknowledged before intact.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { scrape } from '../helpers/metrics.js';
import { contractDetection, getJson, postJson } from '../helpers/payloads.js';
import { launchChromium } from '../helpers/chromium.js';
import { cli } from '../helpers/run-cli.js';
import { SmallDisk } from '../helpers/small-disk.js';
import { connectCamera } from '../helpers/socket-clients.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

async function stop(gw: GatewayProcess): Promise<void> {
  gw.child.kill('SIGTERM');
  assert.equal(await gw.exited, 0, gw.logs.join('\n'));
}

/** What every surface says while the store cannot open. */
async function refusesWithReason(gw: GatewayProcess, code: 'STORE_FULL' | 'STORE_UNAVAILABLE', reason: RegExp): Promise<void> {
  assert.equal((await getJson(`${gw.url}/healthz`)).status, 200);
  const ready = await getJson(`${gw.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.equal(ready.body.store_error.code, code);
  assert.match(ready.body.store_error.message, reason);

  const post = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'open1' }));
  assert.equal(post.status, code === 'STORE_FULL' ? 507 : 503);
  assert.equal(post.body.error.code, code);
  assert.ok(Number(post.headers.get('retry-after')) > 0, 'Retry-After');

  const cam = await connectCamera(gw.url, 'v4-websocket');
  try {
    const error = cam.next('error');
    cam.emit('lpr_data', contractDetection({ camera_id: 'open2' }));
    assert.equal((await error).error.code, code);
  } finally {
    cam.close();
  }

  const metric = await scrape(gw.url);
  assert.equal(metric('lprgw_store_writable'), 0);
  const stats = await getJson(`${gw.url}/api/statistics`);
  assert.match(stats.body.data.store_health.problem.message, reason);
  const status = await cli(['status', '--url', gw.url], { timeoutMs: 20_000 });
  assert.equal(status.code, 3, status.err);
  assert.match(status.out, /^store +.*refused/m);
  assert.match(status.out, reason);
}

test('a full disk at start: the gateway comes up refusing with 507, and serves within 10 s of space coming back', async () => {
  const disk = SmallDisk.mount(48 * 1024 * 1024);
  const env = { LPRGW_DATA_DIR: join(disk.dir, 'data'), LPRGW_DISK_FREE_MIN_BYTES: '0' };
  try {
    const first = await spawnGateway(env);
    const acked: string[] = [];
    for (let i = 0; i < 20; i++) acked.push((await postJson(`${first.url}/api/detection`, contractDetection({ camera_id: 'full1' }))).body.detection_id);
    await disk.fill();
    first.child.kill('SIGKILL');
    await first.exited;

    const gw = await spawnGateway(env);
    try {
      await refusesWithReason(gw, 'STORE_FULL', /disk full, \d+ bytes free/);
      assert.equal(gw.child.exitCode, null, 'still running');
      // The status page says it too, where an operator looks first.
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(gw.url);
        const banner = page.locator('#store-problem');
        await banner.waitFor({ state: 'visible', timeout: 15_000 });
        assert.match(await banner.textContent() ?? '', /Not accepting camera records.*disk full, \d+ bytes free/);
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'status-store-full.png') });
      } finally {
        await browser.close();
      }

      disk.free();
      const freedAt = Date.now();
      await waitUntil(async () => (await getJson(`${gw.url}/readyz`)).status === 200, 15_000, 'ready once space is back');
      assert.ok(Date.now() - freedAt <= 11_000, `ready ${Date.now() - freedAt} ms after space came back`);
      const fresh = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'full1' }));
      assert.equal(fresh.status, 200);
      for (const id of [...acked, fresh.body.detection_id as string]) {
        assert.equal((await getJson(`${gw.url}/api/detections/${id}`)).status, 200, `acknowledged ${id} reads back`);
      }
      assert.equal((await scrape(gw.url))('lprgw_store_writable'), 1);
    } finally {
      await stop(gw);
    }
  } finally {
    disk.dispose();
  }
});

test('a store that fails to open for another reason (corrupt): 503 with the reason on every surface, no exit; mended, it serves', async () => {
  const tmp = makeTempDir();
  const env = { LPRGW_DATA_DIR: join(tmp.dir, 'data') };
  const logDir = join(tmp.dir, 'data', 'log');
  try {
    const first = await spawnGateway(env);
    const acked = (await postJson(`${first.url}/api/detection`, contractDetection({ camera_id: 'corrupt1' }))).body.detection_id as string;
    await stop(first);
    // LevelDB's CURRENT names the manifest; pointing it at one that is not there fails open.
    const current = join(logDir, 'CURRENT');
    copyFileSync(current, join(tmp.dir, 'CURRENT.good'));
    writeFileSync(current, 'MANIFEST-999999\n');

    const gw = await spawnGateway(env);
    try {
      await refusesWithReason(gw, 'STORE_UNAVAILABLE', /store unavailable: .*(MANIFEST|CURRENT|corrupt|No such file)/i);
      assert.equal(gw.child.exitCode, null, 'still running');

      copyFileSync(join(tmp.dir, 'CURRENT.good'), current);
      await waitUntil(async () => (await getJson(`${gw.url}/readyz`)).status === 200, 15_000, 'ready once the store is mended');
      assert.equal((await getJson(`${gw.url}/api/detections/${acked}`)).status, 200);
      assert.ok(readdirSync(logDir).length > 0);
    } finally {
      await stop(gw);
    }
  } finally {
    tmp.remove();
  }
});
