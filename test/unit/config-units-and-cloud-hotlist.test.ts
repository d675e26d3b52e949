// Sizes and durations as operators write them (config/units.ts), and hotlist entries the
// cloud pushes (hotlist/cloud-hotlist.ts): a retained entry on this gateway's topic or the
// fleet's adds it, the same again changes nothing, an empty message removes it, and a
// message that can never be valid is counted and dropped (acknowledged, not retried).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { parseBytes, parseDuration } from '../../src/config/units.js';
import { CloudHotlist } from '../../src/hotlist/cloud-hotlist.js';
import { Hotlist } from '../../src/hotlist/hotlist.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';

test('sizes and durations: units, decimals, bare numbers; anything else is undefined', () => {
  assert.deepEqual(['16MiB', '512kb', '1000', ' 2 GB ', '1.5k', 4096, '1TiB'].map(parseBytes), [16 * 1024 ** 2, 512_000, 1000, 2e9, 1500, 4096, 1024 ** 4]);
  assert.deepEqual(['24h', '15m', '500ms', '2000', '1.5s', '7d', 30].map(parseDuration), [86_400_000, 900_000, 500, 2000, 1500, 604_800_000, 30]);
  for (const bad of ['-1', '12 parsecs', 'MiB', '', null, undefined, {}, Number.NaN, -5, '1e3']) {
    assert.equal(parseBytes(bad), undefined, `bytes ${String(bad)}`);
    assert.equal(parseDuration(bad), undefined, `duration ${String(bad)}`);
  }
  assert.equal(parseDuration('10mib'), undefined, 'a size is no duration');
});

test('cloud entries: added per source, unchanged, removed by an empty message; invalid ones counted and dropped', async () => {
  const log = new MemoryRecordLog();
  await log.open();
  const hotlist = new Hotlist(log);
  await hotlist.load();
  const cloud = new CloudHotlist(hotlist, pino({ level: 'silent' }), 'up/', 'gw');
  assert.deepEqual(cloud.topics(), ['up/lpr/gateway/gw/hotlist/+', 'up/lpr/hotlist/+']);
  const entry = Buffer.from(JSON.stringify({ reason: 'stolen', level: 'critical' }));
  await cloud.receive('up/lpr/gateway/gw/hotlist/AB1234', entry);
  await cloud.receive('up/lpr/hotlist/CD5678', entry);
  await cloud.receive('up/lpr/hotlist/CD5678', entry);
  assert.deepEqual((await hotlist.list()).map((e) => [e.source, e.plate, e.reason]).sort(), [['cloud', 'AB1234', 'stolen'], ['fleet', 'CD5678', 'stolen']]);
  await cloud.receive('up/lpr/hotlist/CD5678', Buffer.alloc(0));
  assert.equal(await hotlist.get('fleet', 'CD5678'), undefined);
  await cloud.receive('up/lpr/hotlist/CD5678', Buffer.from('{not json'));
  await cloud.receive('up/lpr/hotlist/!', entry);
  await cloud.receive('up/lpr/hotlist/EF9', Buffer.from('{"level":"sky-high"}'));
  await cloud.receive('up/lpr/gateway/other/hotlist/GH1', entry); // not ours: ignored
  assert.deepEqual(cloud.counts, { changed: 2, unchanged: 1, removed: 1, invalid: 3 });
  assert.equal((await hotlist.list()).length, 1);
  await log.close();
});
