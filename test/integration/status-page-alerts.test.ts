// The checkpoint's view in a real browser: a hotlist hit shows at once as a banner (plate,
// level, reason, camera, crop, full-frame link) until a viewer acknowledges it; the
// Events view lists detections, searches plates (fuzzy too), opens frame and JSON; a
// camera whose clock is off is flagged.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { deployedDetection, getJson, postJson } from '../helpers/payloads.js';
import { frameJpeg, plateJpeg } from '../../src/simulator/sim-images.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { launchChromium } from '../helpers/chromium.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const TOKEN = 'status-alerts-token';

test('alert banner until acknowledged, Events view with search and detail, camera clock warning', async (t) => {
  const browser = await launchChromium();
  const gw = await startTestGateway({ admin: { token: TOKEN } }).catch(async (err: unknown) => {
    await browser.close();
    throw err;
  });
  const tmp = makeTempDir();
  try {
    const put = await fetch(`${gw.url}/api/admin/hotlist/${encodeURIComponent('กข 1234')}`, {
      method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'stolen vehicle', level: 'critical', note: 'stop at the barrier' }),
    });
    assert.equal(put.status, 201);
    for (let i = 0; i < 3; i++) await postJson(`${gw.url}/api/detection`, deployedDetection({ ocr_results: `["ขค ${100 + i}"]` }));

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(gw.url);
    await page.waitForSelector('#event-rows tr');
    assert.equal(await page.locator('#event-rows tr').count(), 3);
    assert.equal(await page.locator('#alerts .alert').count(), 0);

    const hit = await postJson(`${gw.url}/api/statistics`, deployedDetection({
      original_image: frameJpeg(60_000).toString('base64'), cropped_plates: [plateJpeg(1).toString('base64')],
    }));
    assert.equal(hit.status, 200);
    const banner = page.locator('#alerts .alert[data-level="critical"]');
    await banner.waitFor({ timeout: 5000 });
    // The live list picks the new detection up by itself.
    await page.waitForSelector(`#event-rows tr[data-detection="${hit.body.detection_id}"]`, { timeout: 10_000 });
    const text = (await banner.textContent()) ?? '';
    for (const want of ['กข 1234', 'stolen vehicle', 'stop at the barrier', '7', 'full frame']) assert.ok(text.includes(want), `banner shows "${want}": ${text}`);
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#alerts .alert img')?.naturalWidth > 0, undefined, { timeout: 5000 });
    const crop = (await banner.locator('img').getAttribute('src')) ?? '';
    assert.match(crop, /^\/api\/images\/[0-9a-f]{64}$/, 'the plate crop');
    assert.match((await banner.locator('a').getAttribute('href')) ?? '', /^\/api\/images\/[0-9a-f]{64}$/);
    await page.screenshot({ path: join(tmp.dir, 'alert.png') });
    if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: new URL('../../docs/status-alert.png', import.meta.url).pathname });

    // Another viewer opening the page sees the same banner; acknowledging removes it for all.
    const second = await browser.newPage();
    await second.goto(gw.url);
    await second.locator('#alerts .alert').waitFor();
    await page.click('#alerts .alert button.ack');
    await page.locator('#alerts .alert').waitFor({ state: 'detached' });
    await second.locator('#alerts .alert').waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal((await getJson(`${gw.url}/api/alerts`)).body.open, 0);

    // Events: a fuzzy search finds the hit; the row opens the full frame and the record.
    await page.fill('#q-plate', 'กข 1235');
    await page.check('#q-fuzzy');
    await page.click('#event-form button[type="submit"]');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#event-rows tr').length === 1, undefined, { timeout: 5000 });
    assert.equal(await page.locator('#event-rows tr').getAttribute('data-detection'), hit.body.detection_id);
    await page.click(`#event-rows tr[data-detection="${hit.body.detection_id}"]`);
    await page.waitForSelector('dialog#detail[open]');
    assert.ok(((await page.locator('#detail-json').textContent()) ?? '').includes(hit.body.detection_id));
    await page.waitForFunction(() => (globalThis as any).document.getElementById('detail-img').naturalWidth > 0, undefined, { timeout: 5000 });
    await page.screenshot({ path: join(tmp.dir, 'detail.png') });
    await page.click('dialog#detail button');
    await page.uncheck('#q-fuzzy');
    await page.click('#event-form button[type="submit"]');
    await page.waitForSelector('#event-note:text("No detections match.")');

    // On a phone: the events list keeps its plate column and nothing scrolls sideways.
    const phone = await browser.newPage({ viewport: { width: 390, height: 800 }, locale: 'th-TH' });
    await phone.goto(gw.url);
    await phone.waitForSelector(`#event-rows tr[data-detection="${hit.body.detection_id}"] img`);
    assert.ok(await phone.locator(`#event-rows tr[data-detection="${hit.body.detection_id}"] td:nth-child(3)`).isVisible(), 'plate column shown');
    assert.equal(await phone.evaluate('document.documentElement.scrollWidth > window.innerWidth'), false, 'no sideways scrolling');

    // The deployed camera's 2025 timestamps: its clock is far behind, and the card says so.
    await page.waitForSelector('[data-camera="7"] .clock.warn');
    const clocks = (await getJson(`${gw.url}/api/statistics`)).body.data.camera_clocks;
    assert.equal(clocks[0].camera_id, '7');
    assert.equal(clocks[0].warning, true);
    t.diagnostic(`screenshots in ${tmp.dir} (kept only while the test runs)`);
  } finally {
    await browser.close();
    await gw.stop();
    tmp.remove();
  }
});
