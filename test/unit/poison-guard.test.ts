// PoisonGuard: what cannot be delivered as it is gets parked with its reason, once, and
// the lane goes on — too large for the broker, refused by an MQTT 5 PUBACK, or the oldest
// unconfirmed record while the broker drops the connection three times in a row with
// nothing delivered. Anything else is not its business (false: retried as usual).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import type { StoredRecord } from '../../src/log/record.js';
import { ParkedRecords } from '../../src/outbound/parked-records.js';
import { PoisonGuard, refusalCode } from '../../src/outbound/poison-guard.js';
import { sampleRecord } from '../conformance/record-log-suite.js';

async function setup(): Promise<{ parked: ParkedRecords; guard: PoisonGuard; records: StoredRecord[] }> {
  const log = new MemoryRecordLog();
  await log.open();
  for (let i = 0; i < 5; i++) await log.append(sampleRecord());
  const records = await log.readAfter(0, 10);
  const parked = new ParkedRecords(log);
  await parked.load();
  return { parked, guard: new PoisonGuard(parked, 'uplink', pino({ level: 'silent' })), records };
}

test('over the broker limit: parked as too_large; within it: let through without a promise', async () => {
  const { parked: list, guard, records } = await setup();
  assert.equal(guard.screen(records[0]!, 100, 1000), undefined);
  assert.equal(guard.screen(records[1]!, 100, 0), undefined, 'no limit');
  await guard.screen(records[2]!, 2000, 1000);
  const parked = list.list('uplink');
  assert.deepEqual(parked.map((p) => [p.seq, p.reason]), [[records[2]!.seq, 'too_large']]);
  assert.match(parked[0]!.detail, /2000 bytes, the broker's limit is 1000/);
});

test("an MQTT 5 refusal is parked with its reason code; other errors are not the guard's", async () => {
  const { parked: list, guard, records } = await setup();
  assert.equal(await guard.refused(records[0]!, Object.assign(new Error('x'), { code: 0x87 })), true);
  assert.equal(await guard.refused(records[1]!, new Error('socket hang up')), false);
  assert.equal(await guard.refused(records[1]!, Object.assign(new Error('x'), { code: 0x10 })), false, 'a success code is no refusal');
  assert.deepEqual((list.list()).map((p) => [p.seq, p.detail]), [[records[0]!.seq, 'PUBACK reason 0x87 (not authorized)']]);
  assert.equal(refusalCode({ code: 0x95 }), 0x95);
  assert.equal(refusalCode({ code: 'ECONNRESET' }), undefined);
});

test('three dropped connections in a row with the same oldest record and nothing delivered condemn it; progress forgives', async () => {
  const { parked: list, guard, records } = await setup();
  const [a, b] = records;
  const attempt = () => {
    guard.newConnection();
    assert.equal(guard.screen(a!, 10, 0), undefined);
  };
  attempt();
  guard.connectionEnded(a!.seq, false);
  attempt();
  guard.connectionEnded(a!.seq, true); // something went through: not a poison record
  for (let i = 0; i < 2; i++) {
    attempt();
    guard.connectionEnded(a!.seq, false);
  }
  assert.deepEqual(list.list(), [], 'two strikes since the progress: not yet');
  attempt();
  guard.connectionEnded(a!.seq, false);
  // The third strike condemns it: parked the next time it comes up, and the lane goes on.
  guard.newConnection();
  await guard.screen(a!, 10, 0);
  assert.equal(guard.screen(b!, 10, 0), undefined);
  const parked = list.list();
  assert.deepEqual(parked.map((p) => [p.seq, p.reason]), [[a!.seq, 'connection_dropped']]);
  // A connection on which the record was never even tried does not count against it.
  guard.newConnection();
  guard.connectionEnded(b!.seq, false);
  guard.newConnection();
  guard.connectionEnded(b!.seq, false);
  guard.newConnection();
  guard.connectionEnded(b!.seq, false);
  guard.newConnection();
  assert.equal(guard.screen(b!, 10, 0), undefined);
});
