// Records that stand as evidence, end to end with the real gateway process: the hash
// chain across restarts and kill -9, a signed checkpoint published retained to a real
// Mosquitto and checked against `lpr-gateway key show`, and `lpr-gateway verify` passing
// an untouched export and failing — naming the seq — on each kind of tampering.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { signCheckpoint, checkpointSignedBy } from '../../src/evidence/checkpoint-signature.js';
import { fingerprintOf, rawPublicKey } from '../../src/evidence/signing-key.js';
import { recordHash } from '../../src/log/record-hash.js';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttCollector } from '../helpers/mqtt-collector.js';
import { contractDetection, fakeJpeg, postJson } from '../helpers/payloads.js';
import { cli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const GW = 'evgw';

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
    assert.ok(checkpointSignedBy(published, pub), 'the published checkpoint verifies with key show\'s key');
    assert.equal(published.key_fingerprint, /fingerprint[^:]*: (\S+)/.exec(key.out)![1]);

    const imagesDir = join(tmp.dir, 'images');
    const exported = await cli(['export', '--data-dir', dataDir, '--images', imagesDir]);
    assert.equal(exported.code, 0, exported.err);
    const file = join(tmp.dir, 'export.ndjson');
    writeFileSync(file, exported.out);
    const lines = exported.out.trim().split('\n').map((l) => JSON.parse(l));
    const records = lines.filter((l) => !l.checkpoint);
    assert.ok(records.length >= 12 && lines.some((l) => l.checkpoint), 'records and checkpoints exported');
    assert.equal(lines.filter((l) => l.checkpoint).at(-1).checkpoint.seq, records.at(-1).seq, 'the last checkpoint covers the newest record');

    const ok = await cli(['verify', file, '--images', imagesDir, '--pubkey', pub]);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /verified: \d+ records, \d+ checkpoints, 6 image files; chain intact/);

    // Tampering, each on a fresh copy; verify must fail and name the seq.
    const tampered = async (name: string, edit: (ls: any[]) => any[], extra: string[] = []) => {
      const f = join(tmp.dir, `${name}.ndjson`);
      writeFileSync(f, `${edit(structuredClone(lines)).map((l) => JSON.stringify(l)).join('\n')}\n`);
      const r = await cli(['verify', f, '--pubkey', pub, ...extra]);
      assert.equal(r.code, 1, `${name}: verify passed:\n${r.out}`);
      return r.out;
    };
    const target = records[4];
    const idx = (ls: any[]) => ls.findIndex((l) => l.seq === target.seq);
    assert.match(await tampered('plate', (ls) => {
      ls[idx(ls)].data.plates = ['XX9999'];
      return ls;
    }), new RegExp(`seq ${target.seq}: hash does not match`));
    assert.match(await tampered('removed', (ls) => ls.filter((l) => l.seq !== target.seq)), new RegExp(`seq ${records[5].seq}: prev_hash does not match`));
    assert.match(await tampered('inserted', (ls) => {
      // A well-formed record, hashed and linked to its predecessor: the next one no longer links.
      const fake = { ...ls[idx(ls)], id: 'forged-id' };
      fake.prev_hash = ls[idx(ls)].hash;
      fake.hash = recordHash(fake);
      ls.splice(idx(ls) + 1, 0, fake);
      return ls;
    }), /prev_hash does not match|out of order/);
    const withImage = records.find((r) => r.images.length > 0);
    const imageFile = readdirSync(imagesDir).find((n) => n.startsWith(withImage.id))!;
    const swapDir = join(tmp.dir, 'swapped');
    const { cpSync } = await import('node:fs');
    cpSync(imagesDir, swapDir, { recursive: true });
    writeFileSync(join(swapDir, imageFile), fakeJpeg(5000));
    const swapped = await cli(['verify', file, '--images', swapDir, '--pubkey', pub]);
    assert.equal(swapped.code, 1);
    assert.match(swapped.out, new RegExp(`seq ${withImage.seq}: image annotated_image: the file does not match`));
    const other = generateKeyPairSync('ed25519');
    const otherKey = { privateKey: other.privateKey, publicKey: rawPublicKey(other.publicKey).toString('base64'), fingerprint: fingerprintOf(rawPublicKey(other.publicKey)), publicPem: '' };
    assert.match(await tampered('forged', (ls) => {
      const last = ls.filter((l) => l.checkpoint).at(-1);
      last.checkpoint = signCheckpoint(otherKey, { gateway_id: GW, seq: last.checkpoint.seq, hash: last.checkpoint.hash, time: last.checkpoint.time });
      return ls;
    }), /checkpoint signature is not valid for the trusted key/);
    assert.ok(readFileSync(join(dataDir, 'keys', 'evidence-ed25519.pem'), 'utf8').includes('PRIVATE KEY'));
  } finally {
    await sub.close();
    await cloud.dispose();
    tmp.remove();
  }
});
