// `lpr-gateway verify FILE` (an export, or with --mqtt-dump a capture of published
// payloads, checked offline) and `lpr-gateway key show` (the public key that signs
// checkpoints, and its fingerprint).
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { loadOrCreateSigningKey } from '../evidence/signing-key.js';
import { verifyExport, type Problem } from '../evidence/verify-export.js';
import { verifyMqttDump } from '../evidence/verify-mqtt-dump.js';
import { createStore } from '../log/open-store.js';

export interface VerifyFlags {
  images?: string;
  pubkey?: string;
  pubkeyFile?: string;
  mqttDump?: boolean;
}

export async function verifyCommand(file: string, f: VerifyFlags): Promise<number> {
  if (!existsSync(file)) {
    process.stderr.write(`lpr-gateway: no such file: ${file}\n`);
    return 2;
  }
  const publicKey = f.pubkey ?? (f.pubkeyFile ? readFileSync(f.pubkeyFile, 'utf8') : undefined);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const print = (problems: Problem[], notes: string[]) => {
    for (const p of problems) process.stdout.write(`${p.seq === null ? '-' : `seq ${p.seq}`}: ${p.message}\n`);
    for (const n of notes) process.stdout.write(`note: ${n}\n`);
  };
  if (f.mqttDump) {
    const res = await verifyMqttDump(lines, { publicKey });
    print(res.problems, res.notes);
    const what = res.gateways.map((g) => `gateway ${g.gateway_id}: ${g.records} records (seq ${g.first}–${g.last}), pinned to seq ${g.pinned}`).join('; ');
    process.stdout.write(res.problems.length === 0 ? `verified: ${what}\n` : `FAILED: ${res.problems.length} problems; ${what || 'no records'}\n`);
    return res.problems.length === 0 ? 0 : 1;
  }
  const res = await verifyExport(lines, { imagesDir: f.images, publicKey });
  print(res.problems, res.notes);
  const what = `${res.records} records, ${res.gaps} gaps, ${res.checkpoints} checkpoints, ${res.imagesChecked} image files${res.imagesEvicted ? ` (${res.imagesEvicted} images evicted)` : ''}`;
  process.stdout.write(res.problems.length === 0 ? `verified: ${what}; chain intact\n` : `FAILED: ${res.problems.length} problems in ${what}\n`);
  return res.problems.length === 0 ? 0 : 1;
}

export function keyShowCommand(dataDir: string): number {
  const store = createStore(dataDir, {
    dedupeWindowMs: 0, maxBatchRecords: 1, logger: pino({ level: 'silent' }), maxBytes: 1, diskFreeMinBytes: 0, whenFull: 'refuse', retainDeliveredMs: 0, maxUndeliveredAgeMs: 0,
  });
  if (!existsSync(store.evidenceKeyPath)) {
    process.stderr.write(`lpr-gateway: no signing key in ${store.dataDir} yet: the gateway creates it on its first start\n`);
    return 1;
  }
  const key = loadOrCreateSigningKey(store.evidenceKeyPath);
  process.stdout.write(`public key (Ed25519, raw, base64): ${key.publicKey}\nfingerprint (SHA-256 of the raw key): ${key.fingerprint}\n${key.publicPem}`);
  return 0;
}
