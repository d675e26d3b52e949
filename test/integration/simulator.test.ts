// The camera simulator tells the truth: every failure with its reason, the duration held
// on every path, frames of the size asked for, health reports, and no checkpoint of its
// own unless asked (so one camera never shows up under two topic trees).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import jpeg from 'jpeg-js';
import { parseBytes } from '../../src/config/units.js';
import { frameJpeg } from '../../src/simulator/sim-images.js';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway } from '../helpers/in-process-gateway.js';
import { cli } from '../helpers/run-cli.js';

const summaryOf = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!) as {
  profile: string; transport: string; sent: number; acked: number; failed: number; health: number; unsent: number; errors: Record<string, number>; seconds: number;
};

test('against a dead address: exit 1 naming the profile, transport and reason', async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  for (const profile of ['contract', 'deployed']) {
    const r = await cli(['simulate', '--url', url, '--cameras', '1', '--duration', '2', '--retry-interval', '1', '--max-retries', '1', '--profile', profile], { timeoutMs: 30_000 });
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, new RegExp(`simulate \\(${profile} profile, (rest|none)\\): 0 of \\d+ acknowledged against ${url}`));
    assert.match(r.err, /unreachable \(ECONNREFUSED\)/);
  }
});

test('refused by the gateway: the HTTP status and error code, and --duration holds despite a 60 s retry interval', async () => {
  // A gateway that takes camera data only from another network: Socket.IO is refused at
  // connect, the contract sender falls back to REST and gets 403 FORBIDDEN.
  const gw = await startTestGateway({ camera: { networks: ['10.99.0.0/16'] } });
  try {
    const t0 = Date.now();
    const r = await cli(['simulate', '--url', gw.url, '--cameras', '2', '--rate', '2', '--duration', '3', '--retry-interval', '60', '--profile', 'contract', '--health-interval', '0'], { timeoutMs: 40_000 });
    const seconds = (Date.now() - t0) / 1000;
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 1, r.err);
    const summary = summaryOf(r.out);
    assert.equal(summary.acked, 0);
    assert.equal(summary.transport, 'rest');
    assert.ok(summary.errors['HTTP 403 FORBIDDEN']! >= 1, JSON.stringify(summary.errors));
    assert.match(r.err, /\d+ × HTTP 403 FORBIDDEN/);
    assert.ok(summary.seconds < 5, `the run took ${summary.seconds} s, not about 3`);
    assert.ok(seconds < 30, `the command took ${seconds} s`);
  } finally {
    await gw.stop();
  }
});

test('health reports are sent and stored; no checkpoint is sent unless asked, so the gateway\'s applies', async () => {
  const gw = await startTestGateway({ checkpointId: 'cp-gw' });
  try {
    const r = await cli(['simulate', '--url', gw.url, '--cameras', '2', '--rate', '2', '--duration', '2', '--images', '0', '--health-interval', '1', '--profile', 'deployed'], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.err);
    const summary = summaryOf(r.out);
    assert.equal(summary.profile, 'deployed');
    assert.equal(summary.transport, 'rest');
    assert.ok(summary.health >= 2, JSON.stringify(summary));
    assert.equal(summary.failed, 0);
    const page = await (await fetch(`${gw.url}/api/records?limit=500`)).json() as { data: { kind: string; checkpoint_id: string; camera_id: string }[] };
    const health = page.data.filter((x) => x.kind === 'health');
    assert.ok(health.length >= 2, `health records stored: ${health.length}`);
    const sims = page.data.filter((x) => x.camera_id.startsWith('sim-'));
    assert.ok(sims.length > 0);
    assert.deepEqual([...new Set(sims.map((x) => x.checkpoint_id))], ['cp-gw']);
  } finally {
    await gw.stop();
  }
});

test('--images SIZE gives frames of that size that still decode', () => {
  for (const size of ['200kB', '1.5MB']) {
    const bytes = parseBytes(size)!;
    const frame = frameJpeg(bytes);
    assert.equal(frame.length, bytes, size);
    const img = jpeg.decode(frame, { maxMemoryUsageInMB: 1024 });
    assert.ok(img.width > 100 && img.height > 50);
  }
});

test('a request still in flight when the run ends is counted as unsent, not failed, and does not hold the run', async () => {
  // A "gateway" that passes the deployed camera's probe and then never answers a record.
  const { createServer } = await import('node:http');
  const hanging = new Set<import('node:http').ServerResponse>();
  const server = createServer((req, res) => {
    if (req.method === 'GET') return void res.end('{"success":true}');
    hanging.add(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const r = await cli(['simulate', '--url', url, '--cameras', '1', '--duration', '1.5', '--profile', 'deployed', '--health-interval', '0', '--timeout', '30'], { timeoutMs: 30_000 });
    assert.equal(r.timedOut, false);
    const summary = summaryOf(r.out);
    assert.ok(summary.seconds < 5, `the run took ${summary.seconds} s`);
    assert.equal(summary.failed, 0);
    assert.ok(summary.unsent >= 1, JSON.stringify(summary));
    assert.deepEqual(summary.errors, {});
    assert.ok(hanging.size >= 1, 'the record reached the server');
  } finally {
    for (const res of hanging) res.destroy();
    server.close();
  }
});
