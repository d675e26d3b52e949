// The checkpoint key: created whole or not at all, an empty leftover file counts as none, a
// damaged key is an error (never silently replaced); a key that cannot be had yet (a full
// disk at start) fails that checkpoint only, and the next one tries again.
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { signedStatement } from '../../src/evidence/checkpoint-signature.js';
import { EvidenceCheckpoints } from '../../src/evidence/evidence-checkpoints.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../src/evidence/signing-key.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { sampleRecord } from '../conformance/record-log-suite.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('created once, mode 600, nothing else left in its folder; the same key on every load', () => {
  const tmp = makeTempDir();
  try {
    const path = join(tmp.dir, 'keys', 'k.pem');
    const a = loadOrCreateSigningKey(path);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(tmp.dir, 'keys')), ['k.pem']);
    assert.equal(loadOrCreateSigningKey(path).publicKey, a.publicKey);
  } finally {
    tmp.remove();
  }
});

test('an empty key file (a write cut short) is replaced; a damaged one is an error', () => {
  const tmp = makeTempDir();
  try {
    const path = join(tmp.dir, 'k.pem');
    writeFileSync(path, '');
    assert.match(loadOrCreateSigningKey(path).publicKey, /^[A-Za-z0-9+/]{43}=$/);
    writeFileSync(path, '-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n');
    assert.throws(() => loadOrCreateSigningKey(path));
  } finally {
    tmp.remove();
  }
});

test('a key not to be had yet fails that checkpoint only; the next one signs', async () => {
  const tmp = makeTempDir();
  try {
    const log = new MemoryRecordLog();
    await log.open();
    await log.append(sampleRecord());
    let tries = 0;
    const key = (): SigningKey => {
      tries += 1;
      if (tries === 1) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return loadOrCreateSigningKey(join(tmp.dir, 'k.pem'));
    };
    const evidence = new EvidenceCheckpoints({ log, key, gatewayId: 'gw', logger: pino({ level: 'silent' }), publish: async () => {} });
    await assert.rejects(evidence.checkpoint(), /ENOSPC/);
    const cp = await evidence.checkpoint();
    assert.ok(cp);
    assert.equal(signedStatement(cp, cp.public_key)?.seq, 1);
    assert.equal(tries, 2);
    await log.append(sampleRecord());
    await evidence.checkpoint();
    assert.equal(tries, 2, 'the key is read once');
  } finally {
    tmp.remove();
  }
});
