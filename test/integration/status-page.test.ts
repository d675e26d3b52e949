// The live status page in a real browser (Debian's Chromium driven by playwright-core)
// while the camera simulator runs: cameras appear with Thai plate text and thumbnails,
// then go offline when the simulator stops.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runSimulation } from '../../src/simulator/run-simulation.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { launchChromium } from '../helpers/chromium.js';

test('status page shows cameras, plates and thumbnails live, then offline', async () => {
  // The browser first: if it cannot start, no gateway is left running to hold the test open.
  const browser = await launchChromium();
  const gw = await startTestGateway({ camera: { offlineAfter: '2s', presenceSchedule: '* * * * * *' } }).catch(async (err: unknown) => {
    await browser.close();
    throw err;
  });
  const tmp = makeTempDir();
  try {
    // The cameras send until the page has seen them all (a fixed run could end before a
    // slow page's first snapshot), then stop, so they go offline.
    const sim = runSimulation({
      url: gw.url, cameras: 3, rate: 2, duration: 0, imageBytes: 30_000, transport: 'auto', profile: 'deployed',
      checkpointId: '1', timeoutMs: 5000, retryIntervalMs: 1000, maxRetries: 1,
    });
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    await page.goto(gw.url);
    for (const cam of ['sim-1', 'sim-2', 'sim-3']) {
      await page.waitForSelector(`[data-camera="${cam}"][data-state="online"] img`, { timeout: 15_000 });
    }
    const plates = await page.locator('[data-camera="sim-1"] .plates').textContent();
    assert.match(plates ?? '', /^กข \d{4}/, 'Thai plate text as sent');
    const loaded = await page.locator('[data-camera="sim-1"] img').evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0);
    assert.ok(loaded, 'thumbnail loaded');
    sim.stop();
    const summary = await sim.done;
    assert.equal(summary.failed, 0);
    assert.ok(summary.acked > 0);
    if (process.env.UPDATE_SCREENSHOT) {
      const docs = fileURLToPath(new URL('../../docs', import.meta.url));
      mkdirSync(docs, { recursive: true });
      await page.screenshot({ path: join(docs, 'status-page.png') });
    }
    await page.waitForSelector('[data-camera="sim-1"][data-state="offline"]', { timeout: 15_000 });
    await page.screenshot({ path: join(tmp.dir, 'offline.png') });
    // What an operator reads besides cameras: version and uptime, store against quota,
    // 24-hour times in the gateway's zone.
    assert.match(await page.locator('#about').textContent() ?? '', /^version \d+\.\d+\.\d+ · up \d+ s$/);
    assert.match(await page.locator('#store').textContent() ?? '', /^store [\d.]+ [kMG]B of [\d.]+ [kMG]B quota \(\d+ %\) · disk free [\d.]+ [kMG]B$/);
    assert.match(await page.locator('#updated').textContent() ?? '', /^updated ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
    // Thai, by the switch, remembered across a reload.
    await page.click('#lang');
    assert.equal(await page.locator('h1 [data-t="title"]').textContent(), 'เกตเวย์อ่านป้ายทะเบียน');
    assert.equal(await page.locator('[data-camera="sim-1"] .pill').textContent(), 'ออฟไลน์');
    await page.reload();
    await page.waitForSelector('[data-camera="sim-1"]');
    assert.match(await page.locator('#about').textContent() ?? '', /^เวอร์ชัน /);
    // A rejection with a long message must not widen the page on a phone.
    const bad = await fetch(`${gw.url}/api/statistics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'detection_result', camera_id: 'sim-1', timestamp: 'x'.repeat(200) }) });
    assert.equal(bad.status, 400);
    const phone = await browser.newPage({ viewport: { width: 390, height: 800 }, locale: 'th-TH' });
    await phone.goto(gw.url);
    await phone.waitForSelector('[data-camera="sim-3"]');
    await phone.waitForSelector('#rejections tr');
    const overflow = await phone.evaluate('document.documentElement.scrollWidth > window.innerWidth');
    assert.equal(overflow, false, 'no horizontal scrolling on a phone');
    assert.equal(await phone.locator('html').getAttribute('lang'), 'th', 'a Thai browser gets Thai');
    // While the live feed cannot connect, the page says so instead of showing an empty shell.
    const cut = await browser.newPage();
    await cut.route('**/socket.io/?EIO=*', (route) => route.abort());
    await cut.goto(gw.url);
    assert.equal(await cut.locator('#connecting').textContent(), 'Connecting to the gateway…');
    await cut.waitForFunction("document.getElementById('feed').textContent === 'live feed lost, reconnecting…'");
  } finally {
    await browser.close();
    await gw.stop();
    tmp.remove();
  }
});
