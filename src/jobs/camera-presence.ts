// Camera presence: a camera is online from its next record and offline after a silence of
// camera.offlineAfter (checked by a node-cron job). Each change is appended to the log as
// a `status` record, so the local broker and the uplink publish it (retained) in order
// with the camera's data, and it survives restarts like everything else.
import type { Logger } from 'pino';
import type { AcceptResult, IngestObserver } from '../ingest/ingest.js';
import type { NewRecord, StatusData } from '../log/record.js';
import { uuidV7 } from '../log/uuid-v7.js';
import { KINDS } from '../kinds/index.js';
import { isConnectionTest } from '../kinds/connection-test.js';
import type { CameraSummary, RecordLog } from '../log/record-log.js';

export interface PresenceDeps {
  log: RecordLog;
  logger: Logger;
  offlineAfterMs: number;
  gatewayId: string;
  now?: () => number;
}

export class CameraPresence implements IngestObserver {
  /** Cameras with a status append under way (avoids writing the same change twice). */
  private readonly changing = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly deps: PresenceDeps) {
    this.now = deps.now ?? Date.now;
  }

  accepted(result: AcceptResult): void {
    if (result.duplicate || isConnectionTest(result.kind) || result.kind === 'status') return;
    const row = this.deps.log.camera(result.camera_id);
    if (row && row.state !== 'online') void this.change(row, 'online');
  }

  rejected(): void {}

  /** Marks silent cameras offline; returns how many changed. */
  async sweep(): Promise<number> {
    const cutoff = this.now() - this.deps.offlineAfterMs;
    const silent = this.deps.log.stats().cameras.filter((c) => c.state === 'online' && Date.parse(c.last_seen) < cutoff);
    await Promise.all(silent.map((c) => this.change(c, 'offline')));
    return silent.length;
  }

  private async change(row: CameraSummary, state: StatusData['state']): Promise<void> {
    if (this.changing.has(row.camera_id)) return;
    this.changing.add(row.camera_id);
    const at = new Date(this.now()).toISOString();
    const data: StatusData = { state, last_seen: row.last_seen };
    const id = uuidV7(this.now());
    const record: NewRecord = {
      id, kind: 'status', gateway_id: this.deps.gatewayId, camera_id: row.camera_id, checkpoint_id: row.checkpoint_id,
      timestamp: at, time: at, received_at: at, source: 'gateway',
      data: KINDS.status.members({ id, camera_id: row.camera_id, checkpoint_id: row.checkpoint_id, raw: {}, data, images: [] }), images: [], size: 64,
    };
    try {
      await this.deps.log.append(record);
      this.deps.logger.info({ camera_id: row.camera_id, state, last_seen: row.last_seen }, `camera ${state}`);
    } catch (err) {
      this.deps.logger.error({ err, camera_id: row.camera_id }, 'could not record camera status');
    } finally {
      this.changing.delete(row.camera_id);
    }
  }
}
