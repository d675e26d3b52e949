// The store: everything the gateway keeps on disk, and the only code that knows the
// data-dir layout. Callers get parts, never paths:
//   <dataDir>/log/     LevelDB: records, indexes, cursors, totals (LevelRecordLog)
//   <dataDir>/blobs/   image files by SHA-256, reference-counted (BlobStore)
//   <dataDir>/broker/  LevelDB of the embedded MQTT broker's sessions (aedes-persistence-level)
//   <dataDir>/keys/    the Ed25519 key that signs evidence checkpoints (mode 600)
//   <dataDir>/gateway.pid  pid of the process holding the store open (LevelDB's lock says
//                          only that it is held; this says by whom)
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { BlobStore } from './blob-store.js';
import { LevelRecordLog } from './level-record-log.js';
import type { RecordLog } from './record-log.js';
import { filesystemBytes, StoreAdmission } from './store-admission.js';
import { StoreRetention, type WhenFull } from './store-retention.js';

export interface StoreOptions {
  dedupeWindowMs: number;
  maxBatchRecords: number;
  logger: Logger;
  /** 0 = 80 % of the data filesystem. */
  maxBytes: number;
  diskFreeMinBytes: number;
  whenFull: WhenFull;
  retainDeliveredMs: number;
  maxUndeliveredAgeMs: number;
  /** Benchmark only: lines without hashes (what the chain costs). */
  benchUnhashed?: boolean;
  /** For tests: free bytes on the data filesystem. */
  freeBytes?: (() => number) | undefined;
  /** For the benchmark's no-storage reference: parts to use instead of LevelDB and files. */
  log?: RecordLog | undefined;
  blobs?: BlobStore | undefined;
}

export interface Store {
  readonly dataDir: string;
  readonly log: RecordLog;
  readonly blobs: BlobStore;
  readonly admission: StoreAdmission;
  readonly retention: StoreRetention;
  /** Where the embedded broker keeps its sessions. */
  readonly brokerLocation: string;
  /** Where the checkpoint signing key lives (PEM, created on first start). */
  readonly evidenceKeyPath: string;
  /** Consumers say what is delivered (retention never evicts past it without a reason). */
  setDeliveredSeq(fn: () => number): void;
  /** `retry`: see RecordLog.open (the gateway serves and refuses while the log cannot open). */
  open(opts?: { retry?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export function createStore(dataDir: string, o: StoreOptions): Store {
  const dir = resolve(dataDir);
  makeDataDir(dir);
  // A failed image write latches the log as its own failed write would (log/README.md,
  // invariant 4: any failed store write stops acks, /readyz says why, the store reopens).
  const blobs = o.blobs ?? new BlobStore(join(dir, 'blobs'), (err) => log.writeFailed(err));
  const log = o.log ?? new LevelRecordLog({
    location: join(dir, 'log'), dedupeWindowMs: o.dedupeWindowMs, maxBatchRecords: o.maxBatchRecords, files: blobs, logger: o.logger, benchUnhashed: o.benchUnhashed,
  });
  let delivered = () => log.lastSeq();
  const maxBytes = o.maxBytes || Math.floor(filesystemBytes(dir) * 0.8);
  const retention = new StoreRetention({
    log, logger: o.logger, maxBytes, whenFull: o.whenFull,
    retainDeliveredMs: o.retainDeliveredMs, maxUndeliveredAgeMs: o.maxUndeliveredAgeMs, deliveredSeq: () => delivered(),
  });
  const admission = new StoreAdmission({
    log, dir, minFreeBytes: o.diskFreeMinBytes, maxBytes, freeBytes: o.freeBytes, cacheMs: o.freeBytes ? 0 : 1000,
    makeRoom: (missing) => retention.makeRoom(missing),
  });
  let wrotePid = false;
  return {
    dataDir: dir, log, blobs, admission, retention, brokerLocation: join(dir, 'broker'), evidenceKeyPath: join(dir, 'keys', 'evidence-ed25519.pem'),
    setDeliveredSeq(fn) {
      delivered = fn;
    },
    async open(opts) {
      await blobs.open();
      await log.open(opts);
      if (o.log) return;
      try {
        writeFileSync(join(dir, PID_FILE), `${process.pid}\n`);
        wrotePid = true;
      } catch (err) {
        // Only a name for "in use by another gateway" messages; LevelDB's lock is the guard.
        o.logger.warn({ err }, 'could not write the pid file');
      }
    },
    async close() {
      await log.close();
      // Only our own: a store closed because another gateway holds it leaves that one's pid.
      if (wrotePid) rmSync(join(dir, PID_FILE), { force: true });
    },
  };
}

const PID_FILE = 'gateway.pid';

function makeDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    // Recursive mkdir says ENOENT when the parent is read-only or forbidden; a plain mkdir
    // of the last level then fails with the real reason (EROFS, EACCES) for the operator.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(dirname(dir))) throw err;
    mkdirSync(dir);
  }
}

/** The live process that holds `dataDir` open, if it said so. */
export function storeHolder(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(resolve(dataDir), PID_FILE), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** A stopped gateway's store, opened for reading and maintenance (export, CLI). */
export async function openStore(dataDir: string, o: Pick<StoreOptions, 'logger'> & Partial<StoreOptions>): Promise<Store> {
  const store = createStore(dataDir, {
    dedupeWindowMs: 0, maxBatchRecords: 100, maxBytes: 0, diskFreeMinBytes: 0, whenFull: 'refuse', retainDeliveredMs: Infinity, maxUndeliveredAgeMs: 0, ...o,
  });
  await store.open();
  return store;
}
