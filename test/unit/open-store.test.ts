// The store's layout and its one holder (log/open-store.ts), on real LevelDB files: open
// makes the data dir and says who holds it (gateway.pid); a second opener is refused as
// "in use", and learns the holder's pid; a clean close takes the pid file away; a pid file
// of a process that is gone names nobody.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { createStore, openStore, storeHolder } from '../../src/log/open-store.js';
import { storeInUse } from '../../src/log/store-failure.js';
import { sampleRecord } from '../conformance/record-log-suite.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const logger = pino({ level: 'silent' });
const options = {
  dedupeWindowMs: 1000, maxBatchRecords: 100, logger, maxBytes: 10_000_000, diskFreeMinBytes: 0, whenFull: 'refuse' as const,
  retainDeliveredMs: 86_400_000, maxUndeliveredAgeMs: 0,
};

test('open makes the layout and names its holder; a second opener is refused; close forgets the holder', async () => {
  const tmp = makeTempDir();
  after(() => tmp.remove());
  const dir = join(tmp.dir, 'data', 'nested');
  const store = createStore(dir, options);
  await store.open();
  assert.ok(existsSync(join(dir, 'log')) && existsSync(join(dir, 'blobs')));
  assert.equal(readFileSync(join(dir, 'gateway.pid'), 'utf8'), `${process.pid}\n`);
  assert.equal(storeHolder(dir), undefined, 'this process is no other holder');
  assert.equal(store.brokerLocation, join(dir, 'broker'));
  assert.equal(store.evidenceKeyPath, join(dir, 'keys', 'evidence-ed25519.pem'));
  await store.log.append(sampleRecord());

  const second = createStore(dir, options);
  const err = await second.open().then(() => undefined, (e: unknown) => e);
  assert.ok(storeInUse(err), `refused as in use: ${String(err)}`);
  await second.close();
  assert.ok(existsSync(join(dir, 'gateway.pid')), "the refused opener leaves the holder's pid");

  writeFileSync(join(dir, 'gateway.pid'), `${process.ppid}\n`); // as if our parent held it
  assert.equal(storeHolder(dir), process.ppid, 'a live process is named');
  writeFileSync(join(dir, 'gateway.pid'), '4194305\n'); // above Linux's pid_max: nobody
  assert.equal(storeHolder(dir), undefined);

  await store.close();
  assert.equal(existsSync(join(dir, 'gateway.pid')), false);
  const reading = await openStore(dir, { logger });
  assert.equal(reading.log.lastSeq(), 1, 'reopened for maintenance, with what was written');
  await reading.close();
});
