// A gateway for benchmarks, in its own process: `durable` is the real thing (LevelDB +
// blob files); `no-storage` is the same HTTP/Socket.IO/ingest path over an in-memory log
// and a blob store that writes nothing — the reference the durable figures are set against;
// `unhashed` is durable with lines stored unhashed (what the chain costs).
import pino from 'pino';
import { loadConfig } from '../src/config/load-config.js';
import { createGateway, type GatewayParts } from '../src/gateway.js';
import { BlobStore } from '../src/log/blob-store.js';
import { join } from 'node:path';
import { LevelRecordLog } from '../src/log/level-record-log.js';
import { MemoryRecordLog } from '../src/log/memory-record-log.js';

class NoBlobStore extends BlobStore {
  override async open(): Promise<void> {}
  override async putAll(): Promise<void> {}
}

const [mode = 'durable', dataDir = './data-bench', extra = '{}'] = process.argv.slice(2);
const config = loadConfig({
  env: {},
  // Load generators send from one address: no per-client rate limit in benchmarks.
  overrides: { dataDir, http: { host: '127.0.0.1', port: 0, rateLimit: 0 }, mqtt: { enabled: false }, log: { level: 'warn' }, ...(JSON.parse(extra) as object) },
});
const parts: GatewayParts = mode === 'no-storage' ? { log: new MemoryRecordLog(), blobs: new NoBlobStore(dataDir) }
  : mode === 'unhashed' ? { log: new LevelRecordLog({ location: join(dataDir, 'log'), dedupeWindowMs: config.camera.dedupeWindow, maxBatchRecords: config.store.maxBatchRecords, benchUnhashed: true }) }
  : {};
const gateway = createGateway(config, pino({ level: process.env.BENCH_LOG ?? 'error' }, pino.destination(2)), parts);
await gateway.start();
process.stdout.write(`${JSON.stringify({ port: gateway.httpAddress().port, mqttPort: gateway.mqttAddress()?.port })}\n`);
process.on('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));

// BENCH_HEAP_PROF=DIR: a sampling heap profile of BENCH_HEAP_MS (default 5000) ms from
// BENCH_HEAP_FROM ms after start (default 0; e.g. 10000 for bench:uplink's drain), written
// to DIR/<pid>.heapprofile (open it in Chrome DevTools). It counts objects
// already collected too: it shows where the garbage comes from, which is what the young-
// generation collections in the CPU profile (BENCH_PROF) cost.
if (process.env.BENCH_HEAP_PROF) {
  const dir = process.env.BENCH_HEAP_PROF;
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const { setTimeout: sleep } = await import('node:timers/promises');
  const session = new Session();
  session.connect();
  const options = { samplingInterval: 4096, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true };
  await sleep(Number(process.env.BENCH_HEAP_FROM ?? 0));
  await session.post('HeapProfiler.startSampling', options as never);
  setTimeout(() => {
    void session.post('HeapProfiler.stopSampling').then(({ profile }) => writeFileSync(`${dir}/${process.pid}.heapprofile`, JSON.stringify(profile)));
  }, Number(process.env.BENCH_HEAP_MS ?? 5000)).unref();
}
