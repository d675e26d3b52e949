// What an upstream (the uplink, the forward) is built on, for its unit tests: a real log in
// memory, a real image store in a temp dir, and the parked list, each opened and loaded.
import { BlobStore } from '../../src/log/blob-store.js';
import { MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { ParkedRecords } from '../../src/outbound/parked-records.js';
import { makeTempDir } from './temp-dir.js';

export async function outboundFixture() {
  const tmp = makeTempDir();
  const blobs = new BlobStore(tmp.dir);
  await blobs.open();
  const log = new MemoryRecordLog();
  await log.open();
  const parked = new ParkedRecords(log);
  await parked.load();
  return {
    log, blobs, parked,
    async close() {
      await log.close();
      tmp.remove();
    },
  };
}
