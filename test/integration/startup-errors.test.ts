// Start-up failures an operator can fix: one clear line naming the setting and what to do,
// a non-zero exit, no stack trace — never a crash loop under systemd's Restart=always.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { Level } from 'level';
import { spawnGateway } from '../helpers/gateway-process.js';
import { cli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const BASE = { LPRGW_HTTP_HOST: '127.0.0.1', LPRGW_HTTP_PORT: '0', LPRGW_MQTT_HOST: '127.0.0.1', LPRGW_MQTT_PORT: '0', LPRGW_LOG_PRETTY: 'false' };
const STACK = /^\s+at /m;

test('an uplink URL that is not a broker URL stops start-up with exit 2 naming uplink.url', async () => {
  const tmp = makeTempDir();
  try {
    for (const url of ['not-a-url', 'ftp://broker.example', 'mqtt://']) {
      const r = await cli(['start'], { env: { ...BASE, LPRGW_DATA_DIR: tmp.dir, LPRGW_UPLINK_URL: url }, timeoutMs: 20_000 });
      assert.equal(r.timedOut, false, `${url}: the gateway started`);
      assert.equal(r.code, 2, `${url}: ${r.err}`);
      assert.match(r.err, /uplink\.url: must be empty \(no uplink\) or a broker URL.*\(from LPRGW_UPLINK_URL\)/);
      assert.doesNotMatch(r.err, STACK);
    }
  } finally {
    tmp.remove();
  }
});

test('a port in use: one line naming http.port and its variable, exit 1, no stack; unknown LPRGW_ names are warned about', async () => {
  const tmp = makeTempDir();
  const squatter = createServer();
  await new Promise<void>((ok) => squatter.listen(0, '127.0.0.1', ok));
  const port = (squatter.address() as { port: number }).port;
  try {
    const r = await cli(['start'], { env: { ...BASE, LPRGW_DATA_DIR: tmp.dir, LPRGW_HTTP_PORT: String(port), LPRGW_UPLINK_ULR: 'mqtt://x' }, timeoutMs: 20_000 });
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^lpr-gateway: http\\.port: 127\\.0\\.0\\.1:${port} is already in use by another program — stop it, or choose another port \\(http\\.port / LPRGW_HTTP_PORT\\)$`, 'm'));
    assert.doesNotMatch(r.err + r.out, STACK);
    const warning = r.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; variable?: string; closest?: string }).find((l) => l.variable === 'LPRGW_UPLINK_ULR');
    assert.ok(warning, r.out);
    assert.equal(warning.level, 40);
    assert.equal(warning.closest, 'LPRGW_UPLINK_URL');
  } finally {
    squatter.close();
    tmp.remove();
  }
});

test('a second gateway on the same data dir names the first one\'s pid and exits 1', async () => {
  const tmp = makeTempDir();
  const first = await spawnGateway({ LPRGW_DATA_DIR: tmp.dir });
  try {
    const r = await cli(['start'], { env: { ...BASE, LPRGW_DATA_DIR: tmp.dir }, timeoutMs: 20_000 });
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`dataDir: .* is in use by another gateway \\(pid ${first.child.pid}\\) — stop it`));
    assert.doesNotMatch(r.err + r.out, STACK);
  } finally {
    first.child.kill('SIGTERM');
    await first.exited;
    tmp.remove();
  }
});

test('a data dir that cannot be written: one line naming dataDir, exit 1', async () => {
  const tmp = makeTempDir();
  // root writes through permissions, so as root the dir is a read-only tmpfs (EROFS);
  // as anyone else, a directory without write permission (EACCES).
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', tmp.dir]);
  else chmodSync(tmp.dir, 0o500);
  try {
    const r = await cli(['start'], { env: { ...BASE, LPRGW_DATA_DIR: join(tmp.dir, 'data') }, timeoutMs: 20_000 });
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^lpr-gateway: dataDir: .*\/data is not writable by this user \(uid \d+\).* — fix its ownership \(chown\), or choose another directory \(dataDir \/ LPRGW_DATA_DIR\)$/m);
    assert.doesNotMatch(r.err + r.out, STACK);
  } finally {
    if (asRoot) execFileSync('umount', [tmp.dir]);
    else chmodSync(tmp.dir, 0o700);
    tmp.remove();
  }
});

test('a store written by 0.1 (format 1) is refused with its version and the way out, and left as it was', async () => {
  const tmp = makeTempDir();
  try {
    const location = join(tmp.dir, 'log');
    const old = new Level<string, unknown>(location, { valueEncoding: 'json' });
    const v1 = { seq: 1, id: 'a', kind: 'detection', camera_id: 'c', raw: { type: 'detection_result' }, data: { plates: ['กข1234'] }, images: [], size: 300, hash: 'h' };
    await old.sublevel<string, unknown>('rec', { valueEncoding: 'json' }).put('0000000000000001', v1);
    await old.close();
    const r = await cli(['start'], { env: { ...BASE, LPRGW_DATA_DIR: tmp.dir }, timeoutMs: 20_000 });
    assert.equal(r.timedOut, false, 'the gateway started on a store it cannot read');
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^lpr-gateway: dataDir: the store .* holds records in format 1 \(lpr-edge-gateway 0\.1\); this gateway reads format 2\. Export it with the gateway that wrote it .*then move the data directory aside/m);
    assert.doesNotMatch(r.err, STACK);
    const again = new Level<string, unknown>(location, { valueEncoding: 'json' });
    assert.deepEqual(await again.sublevel<string, unknown>('rec', { valueEncoding: 'json' }).get('0000000000000001'), v1, 'the record is as it was');
    assert.equal(await again.sublevel<string, unknown>('meta', { valueEncoding: 'json' }).get('format'), undefined, 'and the store is not marked');
    await again.close();
  } finally {
    tmp.remove();
  }
});
