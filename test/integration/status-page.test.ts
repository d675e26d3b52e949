// The live status page in a real browser (Debian's Chromium driven by playwright-core)
// while the camera simulator runs: cameras appear with Thai plate text and thumbnails,
// then go offline when the simulator stops.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { runSimulation } from '../../src/simulator/run-simulation.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, or a failure within seconds saying how to get it — never a hang. */
function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium fonts-thai-tlwg (npm test installs it when run as root)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

test('status page shows cameras, plates and thumbnails live, then offline', async () => {
  // The browser first: if it cannot start, no gateway is left running to hold the test open.
  const browser = await launchChromium();
  const gw = await startTestGateway({ camera: { offlineAfter: '2s', presenceSchedule: '* * * * * *' } }).catch(async (err: unknown) => {
    await browser.close();
    throw err;
  });
  const tmp = makeTempDir();
  try {
    const sim = runSimulation({
      url: gw.url, cameras: 3, rate: 2, duration: 4, imageBytes: 30_000, transport: 'auto', profile: 'deployed',
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
    const phone = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await phone.goto(gw.url);
    await phone.waitForSelector('[data-camera="sim-3"]');
    const overflow = await phone.evaluate('document.documentElement.scrollWidth > window.innerWidth');
    assert.equal(overflow, false, 'no horizontal scrolling on a phone');
  } finally {
    await browser.close();
    await gw.stop();
    tmp.remove();
  }
});
