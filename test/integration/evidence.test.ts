// Records that stand as evidence, end to end with the real gateway process: the hash
// chain across restarts and kill -9, the same bytes stored, published to a real Mosquitto
// as the cloud and exported; a signed checkpoint published retained and checked against
// `lpr-gateway key show`; `lpr-gateway verify` (an export, and --mqtt-dump of a
// mosquitto_sub capture) and the Python verifier of docs/EVIDENCE.md passing untouched
// files and failing — naming the seq — on tampering. (Tampering of every kind, record by
// record, is in test/unit/verify-export.test.ts.)
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { signCheckpoint, signedStatement } from '../../src/evidence/checkpoint-signature.js';
import { fingerprintOf, rawPublicKey } from '../../src/evidence/signing-key.js';
import { ROOT } from '../helpers/built-gateway.js';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { contractDetection, fakeJpeg, postJson } from '../helpers/payloads.js';
import { cli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const GW = 'evgw';

async function waitFor(done: () => boolean, ms: number, what: string): Promise<void> {
  for (const end = Date.now() + ms; !done(); await sleep(50)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

async function send(gw: GatewayProcess, n: number, image: boolean): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'ev', ocr_results: ['กข1234'], ...(image && i % 2 === 0 ? { annotated_image: fakeJpeg(5000).toString('base64') } : {}) }));
    assert.equal(r.status, 200);
  }
}

test('hash chain, signed checkpoints and the offline verifier', async () => {
  const tmp = makeTempDir();
  const cloud = new Mosquitto();
  await cloud.start();
  const sub = new MqttCollector(cloud.url, [`lpr/gateway/${GW}/checkpoint`], 'evidence-sub');
  await sub.connect();
  // What the cloud received, as an operator would capture it.
  const capture = join(tmp.dir, 'capture.txt');
  const dump = spawn('sh', ['-c', `exec mosquitto_sub -h 127.0.0.1 -p ${cloud.port} -q 1 -v -t 'lpr/#' > '${capture}'`], { stdio: 'ignore' });
  await waitFor(() => { try { readFileSync(capture); return true; } catch { return false; } }, 5000, 'mosquitto_sub');
  const config = join(tmp.dir, 'gw.yaml');
  writeFileSync(config, `evidence:\n  checkpointInterval: 1s\nuplink:\n  url: ${cloud.url}\n`);
  const dataDir = join(tmp.dir, 'data');
  const env = { LPRGW_DATA_DIR: dataDir, LPRGW_CONFIG: config, LPRGW_GATEWAY_ID: GW };
  try {
    let gw = await spawnGateway(env);
    await send(gw, 6, true);
    gw.child.kill('SIGKILL'); // the chain must continue across a crash
    await gw.exited;
    gw = await spawnGateway(env);
    await send(gw, 6, true);
    gw.child.kill('SIGTERM'); // a clean stop signs a last checkpoint
    assert.equal(await gw.exited, 0);

    // The public key, and the retained checkpoint upstream.
    const key = await cli(['key', 'show', '--data-dir', dataDir]);
    assert.equal(key.code, 0, key.err);
    const pub = /raw, base64\): (\S+)/.exec(key.out)![1]!;
    await sub.waitFor((m) => m.some((x) => x.retain || x.json?.seq), 10_000, 'a checkpoint upstream');
    const published = sub.messages.at(-1)!.json;
    assert.equal(published.gateway_id, GW);
    assert.equal(signedStatement(published, pub)?.gateway_id, GW, 'the published checkpoint verifies with key show\'s key');
    assert.equal(published.key_fingerprint, /fingerprint[^:]*: (\S+)/.exec(key.out)![1]);

    const imagesDir = join(tmp.dir, 'images');
    const exported = await cli(['export', '--data-dir', dataDir, '--images', imagesDir]);
    assert.equal(exported.code, 0, exported.err);
    const file = join(tmp.dir, 'export.ndjson');
    writeFileSync(file, exported.out);
    const lines = exported.out.trim().split('\n');
    const records = lines.filter((l) => l.startsWith('{"hash":"')).map((l) => JSON.parse(l));
    const checkpoints = lines.filter((l) => l.startsWith('{"line":"checkpoint"')).map((l) => JSON.parse(l));
    assert.ok(records.length >= 12 && checkpoints.length >= 2, 'records and checkpoints exported');
    assert.equal(checkpoints.at(-1).seq, records.at(-1).seq, 'the last checkpoint covers the newest record');
    assert.ok(checkpoints.some((c) => c.seq === 6 || c.seq === 7), 'the head found after kill -9 was signed at start-up');

    // Every acknowledged record upstream is the stored line, byte for byte.
    const lastSeq = records.at(-1).seq;
    await waitFor(() => readFileSync(capture, 'utf8').includes(`"seq":${lastSeq},`), 20_000, 'the last record in the cloud capture');
    dump.kill('SIGTERM');
    const payloads = readFileSync(capture, 'utf8').split('\n').map((l) => l.slice(l.indexOf(' ') + 1)).filter((p) => p.startsWith('{"hash":"'));
    for (const line of lines.filter((l) => l.startsWith('{"hash":"'))) assert.ok(payloads.includes(line), 'published exactly as exported');

    const ok = await cli(['verify', file, '--images', imagesDir, '--pubkey', key.out]);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /verified: \d+ records, 0 gaps, \d+ checkpoints, 6 image files; chain intact/);
    const mqtt = await cli(['verify', '--mqtt-dump', capture, '--pubkey', pub]);
    assert.equal(mqtt.code, 0, mqtt.out + mqtt.err);
    assert.match(mqtt.out, new RegExp(`verified: gateway ${GW}: \\d+ records \\(seq 1–${lastSeq}\\)`));

    // The verifier in docs/EVIDENCE.md, as a reader would copy it.
    const py = join(tmp.dir, 'verify.py');
    writeFileSync(py, /```python\n([\s\S]+?)```/.exec(readFileSync(join(ROOT, 'docs', 'EVIDENCE.md'), 'utf8'))![1]!);
    const python = (f: string) => spawnSync('python3', [py, f, pub], { encoding: 'utf8' });
    const pyOk = python(file);
    assert.equal(pyOk.status, 0, pyOk.stdout + pyOk.stderr);
    assert.equal(pyOk.stdout.trim(), 'verified');

    // Tampering, each on a fresh copy of the lines; verify must fail and name the seq.
    const tampered = async (name: string, edit: (ls: string[]) => string[], extra: string[] = []) => {
      const f = join(tmp.dir, `${name}.ndjson`);
      writeFileSync(f, `${edit([...lines]).join('\n')}\n`);
      const r = await cli(['verify', f, '--pubkey', pub, ...extra]);
      assert.equal(r.code, 1, `${name}: verify passed:\n${r.out}`);
      const p = python(f);
      assert.equal(p.status, 1, `${name}: the documented Python verifier passed:\n${p.stdout}${p.stderr}`);
      return r.out;
    };
    const target = records[4];
    const at = (ls: string[]) => ls.findIndex((l) => l.startsWith('{"hash":"') && l.includes(`"seq":${target.seq},`));
    assert.match(await tampered('plate', (ls) => {
      ls[at(ls)] = ls[at(ls)]!.replace('"plates":["กข1234"]', '"plates":["XX9999"]');
      return ls;
    }), new RegExp(`seq ${target.seq}: hash does not match`));
    assert.match(await tampered('removed', (ls) => ls.filter((_, i) => i !== at(ls))), new RegExp(`seq ${records[5].seq}: .*does not link to seq ${records[3].seq}`));
    assert.match(await tampered('truncated', (ls) => ls.filter((l) => !(l.startsWith('{"hash":"') && l.includes(`"seq":${lastSeq},`)))), /beyond the last record/);
    const withImage = records.find((r) => r.images?.length > 0);
    const imageFile = readdirSync(imagesDir).find((n) => n.startsWith(withImage.detection_id))!;
    const swapDir = join(tmp.dir, 'swapped');
    cpSync(imagesDir, swapDir, { recursive: true });
    writeFileSync(join(swapDir, imageFile), fakeJpeg(5000));
    const swapped = await cli(['verify', file, '--images', swapDir, '--pubkey', pub]);
    assert.equal(swapped.code, 1);
    assert.match(swapped.out, new RegExp(`seq ${withImage.seq}: image annotated_image: the file does not match`));
    const other = generateKeyPairSync('ed25519');
    const otherKey = { privateKey: other.privateKey, publicKey: rawPublicKey(other.publicKey).toString('base64'), fingerprint: fingerprintOf(rawPublicKey(other.publicKey)), publicPem: '' };
    assert.match(await tampered('forged', (ls) => {
      const k = ls.findLastIndex((l) => l.startsWith('{"line":"checkpoint"'));
      const cp = JSON.parse(ls[k]!);
      ls[k] = JSON.stringify({ line: 'checkpoint', ...signCheckpoint(otherKey, { gateway_id: GW, seq: cp.seq, hash: cp.hash, time: cp.time }) });
      return ls;
    }), /checkpoint signature is not valid for the trusted key/);
    // A payload changed in the capture.
    const badDump = join(tmp.dir, 'bad-capture.txt');
    writeFileSync(badDump, readFileSync(capture, 'utf8').replace('"plates":["กข1234"]', '"plates":["XX9999"]'));
    const badMqtt = await cli(['verify', '--mqtt-dump', badDump, '--pubkey', pub]);
    assert.equal(badMqtt.code, 1, badMqtt.out);
    assert.match(badMqtt.out, /hash does not match the payload/);
    assert.ok(readFileSync(join(dataDir, 'keys', 'evidence-ed25519.pem'), 'utf8').includes('PRIVATE KEY'));
  } finally {
    dump.kill('SIGKILL');
    await sub.close();
    await cloud.dispose();
    tmp.remove();
  }
});

test('after kill -9, the head found on opening the store is signed at start-up (not only at the next interval)', async () => {
  const tmp = makeTempDir();
  const config = join(tmp.dir, 'gw.yaml');
  writeFileSync(config, 'evidence:\n  checkpointInterval: 1h\n');
  const env = { LPRGW_DATA_DIR: join(tmp.dir, 'data'), LPRGW_CONFIG: config, LPRGW_GATEWAY_ID: GW };
  try {
    let gw = await spawnGateway(env);
    await send(gw, 3, false);
    const signed = (logs: string[]) => logs.map((l) => { try { return JSON.parse(l) as { msg?: string; seq?: number }; } catch { return {}; } })
      .filter((e) => e.msg === 'evidence checkpoint signed').map((e) => e.seq);
    const head = ((await (await fetch(`${gw.url}/api/records?limit=1`)).json()) as { last_seq: number }).last_seq;
    assert.ok(head >= 3);
    assert.deepEqual(signed(gw.logs), [], 'nothing signed yet: the interval is an hour away');
    gw.child.kill('SIGKILL');
    await gw.exited;
    gw = await spawnGateway(env);
    try {
      assert.deepEqual(signed(gw.logs), [head], 'the head signed while starting');
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
    }
  } finally {
    tmp.remove();
  }
});
