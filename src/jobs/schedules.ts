// Every schedule the running gateway keeps, in one place: camera presence, retention,
// store maintenance (cron), the retained status, evidence checkpoints and backlog samples
// (intervals). stop() ends them all and waits for a cron job under way.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import type { BlobStore } from '../log/blob-store.js';
import { removeOrphanBlobs } from '../log/orphan-blobs.js';
import type { RecordLog } from '../log/record-log.js';
import type { StoreRetention } from '../log/store-retention.js';
import type { BacklogMonitor } from '../outbound/backlog-monitor.js';
import type { CameraPresence } from './camera-presence.js';
import type { EvidenceCheckpoints } from '../evidence/evidence-checkpoints.js';

export interface ScheduleDeps {
  config: GatewayConfig;
  logger: Logger;
  log: RecordLog;
  blobs: BlobStore;
  presence: CameraPresence;
  retention: StoreRetention;
  publishStatus: () => void;
  evidence: EvidenceCheckpoints | undefined;
  /** The uplink's and the forward's backlogs (either may be off). */
  backlogs: (BacklogMonitor | undefined)[];
}

/** Dedupe entries outside the window can never match again: drop them, sweep orphan image files, compact. */
export async function storeMaintenance(log: RecordLog, blobs: BlobStore, logger: Logger, dedupeWindowMs: number): Promise<void> {
  const pruned = await log.pruneDedupe(Date.now() - dedupeWindowMs);
  const orphans = await removeOrphanBlobs(log, blobs, logger);
  await log.compact();
  logger.info({ prunedDedupe: pruned, orphanBlobs: orphans }, 'store maintenance done');
}

export function startSchedules(d: ScheduleDeps): { stop(): Promise<void> } {
  const { config, logger } = d;
  const tasks: ScheduledTask[] = [
    cron.schedule(config.camera.presenceSchedule, () => d.presence.sweep(), { noOverlap: true, name: 'presence' }),
    cron.schedule(config.store.sweepSchedule, () => d.retention.sweep().catch((err: unknown) => logger.error({ err }, 'retention sweep failed')), { noOverlap: true, name: 'retention' }),
    cron.schedule(config.store.compactSchedule, () => storeMaintenance(d.log, d.blobs, logger, config.camera.dedupeWindow), { noOverlap: true, name: 'compaction' }),
  ];
  const timers: NodeJS.Timeout[] = [setInterval(d.publishStatus, config.uplink.statusInterval)];
  const { evidence } = d;
  if (evidence) timers.push(setInterval(() => void evidence.checkpoint().catch((err: unknown) => logger.warn({ err }, 'evidence checkpoint failed')), config.evidence.checkpointInterval));
  for (const backlog of d.backlogs) if (backlog) timers.push(setInterval(() => void backlog.sample(), 5000));
  return {
    async stop() {
      for (const t of tasks) await t.stop();
      for (const t of timers) clearInterval(t);
    },
  };
}
