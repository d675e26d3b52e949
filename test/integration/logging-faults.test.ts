// Logging never stops the gateway: with its stdout on a full disk, or on a pipe nobody
// reads, every camera message is still answered, lines that cannot be written are dropped
// and counted (lprgw_log_lines_dropped_total), one line says so once writing works again,
// and SIGTERM still stops the process. (pino's synchronous destination froze the process
// here: 13 of 30 answered, then nothing, SIGTERM ignored.)
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnGatewayWithStdout, type GatewayProcess } from '../helpers/gateway-process.js';
import { scrape } from '../helpers/metrics.js';
import { contractDetection } from '../helpers/payloads.js';
import { SmallDisk } from '../helpers/small-disk.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

/** A POST that must be answered within `ms` (a frozen gateway fails it instead of hanging). */
async function post(url: string, body: unknown, ms = 5000): Promise<number> {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(ms),
  });
  await res.arrayBuffer();
  return res.status;
}

/** SIGTERM, and the exit it must lead to within the gateway's 10 s shutdown deadline. */
async function stopsOnSigterm(gw: GatewayProcess): Promise<number | string> {
  gw.child.kill('SIGTERM');
  const timeout = new Promise<string>((ok) => setTimeout(() => ok('still running 12 s after SIGTERM'), 12_000).unref());
  const code = await Promise.race([gw.exited, timeout]);
  if (typeof code === 'string' && code.startsWith('still')) gw.child.kill('SIGKILL');
  return code;
}

test('stdout on a full disk: every message answered, dropped lines counted and reported, SIGTERM stops it', async () => {
  const disk = SmallDisk.mount(4 * 1024 * 1024);
  const tmp = makeTempDir();
  const logPath = join(disk.dir, 'gateway.log');
  const fd = openSync(logPath, 'a');
  let gw: GatewayProcess | undefined;
  try {
    // The data dir is elsewhere: only the log destination is full.
    gw = await spawnGatewayWithStdout({ LPRGW_DATA_DIR: join(tmp.dir, 'data') }, fd);
    await waitUntil(() => readFileSync(logPath, 'utf8').includes('gateway listening'), 20_000, 'the start-up lines in the log file');
    await disk.fill();
    // Each rejection logs a warning; every one must still be answered, and the valid ones
    // stored. (The log file's last page has room for a dozen lines: tmpfs allocates pages.)
    const statuses: number[] = [];
    for (let i = 0; i < 80; i++) {
      statuses.push(await post(`${gw.url}/api/detection`, i % 2 ? contractDetection({ camera_id: 'log1' }) : { type: 'detection_result' }));
    }
    assert.deepEqual(statuses, Array.from({ length: 80 }, (_, i) => (i % 2 ? 200 : 400)));
    const dropped = (await scrape(gw.url))('lprgw_log_lines_dropped_total');
    assert.ok(dropped >= 20, `the lines of 40 rejections beyond the file's last page are counted as dropped (counted ${dropped})`);

    disk.free();
    await post(`${gw.url}/api/detection`, { type: 'detection_result' });
    const said = await waitUntil(() => readFileSync(logPath, 'utf8').split('\n').find((l) => l.includes('log lines were dropped')), 10_000, 'the line that reports the loss');
    const reported = JSON.parse(said) as { dropped: number };
    assert.ok(reported.dropped >= 20, `the report names the lines lost (${reported.dropped})`);

    await disk.fill();
    for (let i = 0; i < 5; i++) assert.equal(await post(`${gw.url}/api/detection`, { type: 'detection_result' }), 400);
    assert.equal(await stopsOnSigterm(gw), 0);
    gw = undefined;
  } finally {
    if (gw) gw.child.kill('SIGKILL');
    closeSync(fd);
    disk.dispose();
    tmp.remove();
  }
});

test('stdout on a pipe nobody reads: the gateway keeps answering and stops on SIGTERM', async () => {
  const tmp = makeTempDir();
  let gw: GatewayProcess | undefined;
  try {
    const config = join(tmp.dir, 'gw.yaml');
    writeFileSync(config, 'http:\n  rateLimit: 0\n');
    gw = await spawnGatewayWithStdout({ LPRGW_DATA_DIR: join(tmp.dir, 'data'), LPRGW_CONFIG: config }, 'unread-pipe');
    gw.child.stdout!.pause(); // never read: the pipe's 64 KB fill, then the gateway's own queue
    // About 1.5 MB of warnings (6,000 lines): more than the pipe and the destination's queue hold.
    for (let i = 0; i < 240; i++) {
      const batch = await Promise.all(Array.from({ length: 25 }, () => post(`${gw!.url}/api/detection`, { type: 'detection_result', padding: 'x'.repeat(400) })));
      assert.ok(batch.every((s) => s === 400), `batch ${i} answered: ${batch}`);
    }
    assert.equal(await post(`${gw.url}/api/detection`, contractDetection({ camera_id: 'pipe1' })), 200);
    const dropped = (await scrape(gw.url))('lprgw_log_lines_dropped_total');
    assert.ok(dropped > 0, `lines beyond the queue are dropped and counted (counted ${dropped})`);
    assert.equal(await stopsOnSigterm(gw), 0);
    gw = undefined;
  } finally {
    if (gw) gw.child.kill('SIGKILL');
    tmp.remove();
  }
});
