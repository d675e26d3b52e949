// One run of bench:pipeline (a child process of bench/pipeline.ts): durable ingest in this
// process — ingest.accept() on a LevelDB store, 100 messages in flight from 10 connections,
// no transport — then one JSON line: records/s and CPU per record (all threads).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ArrivalOrder } from '../src/ingest/arrival-order.js';
import { createIngest } from '../src/ingest/ingest.js';
import { createStore } from '../src/log/open-store.js';
import { detection } from './rest-load.js';

const N = Number(process.env.BENCH_RECORDS ?? 30_000);
const logger = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'lprgw-pipeline-'));
const store = createStore(dir, {
  dedupeWindowMs: 86_400_000, maxBatchRecords: 1000, logger, maxBytes: 0, diskFreeMinBytes: 0, whenFull: 'refuse',
  retainDeliveredMs: 3_600_000, maxUndeliveredAgeMs: 0, benchUnhashed: process.argv[2] === 'chain-off',
});
try {
  await store.open();
  const ingest = createIngest({ log: store.log, blobs: store.blobs, logger, admission: store.admission, timeZone: 'Asia/Bangkok', defaultCheckpointId: 'cp', gatewayId: 'bench' });
  // Parsed up front, as Socket.IO hands the gateway objects: the figure is the gateway's work.
  const bodies = Array.from({ length: N }, () => JSON.parse(detection()) as unknown);
  const connections = Array.from({ length: 10 }, () => new ArrivalOrder());
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 100 }, async (_, w) => {
    while (next < N) {
      const i = next++;
      await ingest.accept(bodies[i], { source: 'socketio', impliedKind: 'detection', order: connections[w % 10] });
    }
  }));
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ perSec: N / seconds, cpuUs: (cpu.user + cpu.system) / N }));
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
