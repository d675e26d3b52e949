// The lpr-gateway command as an operator uses it: help, version, bad flags and config,
// hash-password, and status against a running gateway process.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { verifyPassword } from '../../src/auth/password.js';
import { contractDetection, postJson } from '../helpers/payloads.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { cli } from '../helpers/run-cli.js';

test('--help, --version, and a bad flag', async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  for (const sub of ['start', 'status', 'simulate', 'export', 'hash-password']) assert.match(help.out, new RegExp(sub));
  const version = await cli(['--version']);
  assert.match(version.out.trim(), /^\d+\.\d+\.\d+$/);
  const bad = await cli(['--no-such-flag']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /unknown option/);
});

test('a bad config value stops start-up with exit code 2 and names the key', async () => {
  const tmp = makeTempDir();
  try {
    const file = join(tmp.dir, 'bad.yaml');
    writeFileSync(file, 'http:\n  port: 99999\nmqtt:\n  colour: blue\n');
    const r = await cli(['start', '--config', file]);
    assert.equal(r.code, 2);
    assert.match(r.err, /http\.port/);
    assert.match(r.err, /mqtt\.colour: unknown setting/);
    const env = await cli(['start'], { env: { LPRGW_CAMERA_TZ: 'Nowhere/Town', LPRGW_DATA_DIR: tmp.dir } });
    assert.equal(env.code, 2);
    assert.match(env.err, /camera\.timezone.*LPRGW_CAMERA_TZ/);
  } finally {
    tmp.remove();
  }
});

test('hash-password prints a scrypt hash of stdin that verifies', async () => {
  const r = await cli(['hash-password'], { input: 's3cret\n' });
  assert.equal(r.code, 0, r.err);
  const hash = r.out.trim();
  assert.match(hash, /^scrypt\$/);
  assert.equal(await verifyPassword('s3cret', hash), true);
  assert.equal(await verifyPassword('wrong', hash), false);
});

test('status asks a running gateway', async () => {
  const tmp = makeTempDir();
  const gw = await spawnGateway({ LPRGW_DATA_DIR: tmp.dir });
  try {
    await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'st-1' }));
    const r = await cli(['status', '--url', gw.url]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /gateway .* ready/);
    assert.match(r.out, /1\/st-1\s+online.*clock off by [\d.]+ s \(behind\)/, 'the 2024 timestamp: its clock is far off');
    assert.match(r.out, /^hotlist\s+0 entries, 0 open alerts$/m);
    const json = await cli(['status', '--url', gw.url, '--json']);
    assert.equal(JSON.parse(json.out).statistics.total_detections, 1);
    const none = await cli(['status', '--url', 'http://127.0.0.1:9']);
    assert.equal(none.code, 1);
    assert.match(none.err, /no gateway answers/);
  } finally {
    gw.child.kill('SIGTERM');
    await gw.exited;
    tmp.remove();
  }
});

test('export: NDJSON from a running gateway with the admin token, and from a stopped one', async () => {
  const tmp = makeTempDir();
  const gw = await spawnGateway({ LPRGW_DATA_DIR: join(tmp.dir, 'data'), LPRGW_ADMIN_TOKEN: 'admin-secret' });
  const ids: string[] = [];
  try {
    for (const camera of ['e1', 'e2', 'e1']) {
      const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: camera, annotated_image: Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3]).toString('base64') }));
      ids.push(r.body.detection_id);
    }
    const refused = await fetch(`${gw.url}/api/admin/export`);
    assert.equal(refused.status, 401);
    const wrong = await fetch(`${gw.url}/api/admin/export`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 403);
    const imagesDir = join(tmp.dir, 'images');
    const r = await cli(['export', '--url', gw.url, '--token', 'admin-secret', '--camera', 'e1', '--images', imagesDir]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines[0].selection, { camera_id: 'e1', since: null }, 'a filtered export says it is a selection');
    assert.deepEqual(lines.filter((l) => l.kind).map((l) => l.detection_id), [ids[0], ids[2]]);
    const { readdirSync } = await import('node:fs');
    assert.equal(readdirSync(imagesDir).length, 2);
    const future = await cli(['export', '--url', gw.url, '--token', 'admin-secret', '--since', '2999-01-01T00:00:00Z']);
    assert.equal(future.out.trim().split('\n').filter((l) => l.startsWith('{"hash"')).length, 0, 'no records after 2999');
    const noToken = await cli(['export', '--url', gw.url], { env: { LPRGW_ADMIN_TOKEN: '' } });
    assert.equal(noToken.code, 1);
  } finally {
    gw.child.kill('SIGTERM');
    await gw.exited;
  }
  try {
    const direct = await cli(['export', '--data-dir', join(tmp.dir, 'data')]);
    assert.equal(direct.code, 0, direct.err);
    const lines = direct.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((l) => l.kind === 'detection').map((l) => l.detection_id), ids);
    // Unfiltered: the whole chain (status records too) and the checkpoint of the clean stop.
    assert.ok(lines.some((l) => l.kind === 'status'));
    assert.ok(lines.some((l) => l.line === 'checkpoint'), 'a checkpoint was signed at the clean stop');
  } finally {
    tmp.remove();
  }
});

test('simulate: deployed and contract profiles end with a JSON summary; bad flags are named', async () => {
  const tmp = makeTempDir();
  const gw = await spawnGateway({ LPRGW_DATA_DIR: tmp.dir });
  try {
    for (const args of [['--profile', 'deployed'], ['--profile', 'contract', '--transport', 'socketio'], ['--transport', 'rest']]) {
      const r = await cli(['simulate', '--url', gw.url, '--cameras', '2', '--rate', '4', '--duration', '1.5', '--images', '20kB', ...args]);
      assert.equal(r.code, 0, r.err);
      const summary = JSON.parse(r.out.trim().split('\n').at(-1)!);
      assert.equal(summary.failed, 0);
      assert.ok(summary.acked >= 4, JSON.stringify(summary));
      assert.equal(summary.acked, summary.sent);
    }
    const stats = await (await fetch(`${gw.url}/api/statistics`)).json() as { data: { total_detections: number } };
    assert.ok(stats.data.total_detections >= 12);
    const bad = await cli(['simulate', '--profile', 'weird']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--profile must be one of contract, deployed/);
  } finally {
    gw.child.kill('SIGTERM');
    await gw.exited;
    tmp.remove();
  }
});

test('config check: 0 for a good file, 2 naming every bad key; config show: each setting with its origin, secrets masked', async () => {
  const tmp = makeTempDir();
  try {
    const good = join(tmp.dir, 'good.yaml');
    writeFileSync(good, 'http:\n  port: 9000\nadmin:\n  token: supersecret-admin\ncamera:\n  tokens:\n    cam-1: camera-secret-1\n');
    const ok = await cli(['config', 'check', '--config', good], { env: { LPRGW_MQTT_PORT: '1999' } });
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /configuration OK: file .*good\.yaml, 3 setting\(s\) from the file, 1 from the environment/);

    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, 'http:\n  port: 99999\nmqtt:\n  colour: blue\n');
    const no = await cli(['config', 'check', '--config', bad], { env: { LPRGW_UPLINK_URL: 'ftp://broker' } });
    assert.equal(no.code, 2);
    assert.match(no.err, /http\.port: /);
    assert.match(no.err, /mqtt\.colour: unknown setting/);
    assert.match(no.err, /uplink\.url: .*\(from LPRGW_UPLINK_URL\)/);

    const show = await cli(['config', 'show', '--config', good], { env: { LPRGW_UPLINK_URL: 'mqtts://cloud.example:8883', LPRGW_UPLINK_PASSWORD: 'uplink-secret', LPRGW_UPLINK_PASWORD: 'typo' } });
    assert.equal(show.code, 0, show.err);
    const line = (key: string) => show.out.split('\n').find((l) => l.startsWith(`${key} `)) ?? '';
    assert.match(line('http.port'), /9000\s+\(file\)$/);
    assert.match(line('mqtt.port'), /1883\s+\(default\)$/);
    assert.match(line('uplink.url'), /"mqtts:\/\/cloud\.example:8883"\s+\(env LPRGW_UPLINK_URL\)$/);
    assert.match(line('uplink.password'), /\*{8} \(set\)\s+\(env LPRGW_UPLINK_PASSWORD\)$/);
    assert.match(line('admin.token'), /\*{8} \(set\)\s+\(file\)$/);
    assert.match(line('camera.tokens.cam-1'), /\*{8} \(set\)/);
    for (const secret of ['supersecret-admin', 'camera-secret-1', 'uplink-secret']) assert.ok(!show.out.includes(secret), `${secret} printed`);
    assert.match(show.err, /LPRGW_UPLINK_PASWORD is not a setting and is ignored; did you mean LPRGW_UPLINK_PASSWORD\?/);
  } finally {
    tmp.remove();
  }
});
