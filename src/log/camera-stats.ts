// Running totals kept beside the log (per camera and overall), updated in the same synced
// batch as the records they count, so /api/statistics is answered from memory, never a scan.
import { ownBytes } from './image-refs.js';
import type { RecordKind, StatusData, StoredRecord } from './record.js';
import type { CameraSummary, LogStats } from './record-log.js';

export interface Totals {
  records: number;
  detections: number;
  health: number;
  registrations: number;
  lastUpdate: string | null;
  bytes: number;
  /** Records and bytes currently stored: record JSON plus each distinct image file once. */
  liveRecords: number;
  liveBytes: number;
  /** Evictions by reason (records or images, see EvictionReason). */
  evictions: Record<string, number>;
}

export const TOTALS_KEY = 'totals';
export const CAMERA_KEY_PREFIX = 'camera:';

export function emptyTotals(): Totals {
  return { records: 0, detections: 0, health: 0, registrations: 0, lastUpdate: null, bytes: 0, liveRecords: 0, liveBytes: 0, evictions: {} };
}

export interface StatsPlan {
  totals: Totals;
  cameras: Map<string, CameraSummary>;
  /** Applies the plan to memory; call only after the batch is durable. */
  commit(): void;
}

/** Which counter a camera's own record kind adds to: a new kind must name one here (the
 *  compiler says so), rather than being counted as something else by default. */
const COUNTER: Record<Exclude<RecordKind, 'status' | 'alert'>, 'detections' | 'health' | 'registrations'> = {
  detection: 'detections', health: 'health', register: 'registrations',
};

export class CameraStats {
  totals: Totals = emptyTotals();
  readonly cameras = new Map<string, CameraSummary>();

  /** The public stats view; the log supplies the two ends it alone knows. */
  snapshot(firstSeq: number, lastSeq: number): LogStats {
    const t = this.totals;
    return {
      records: t.records, detections: t.detections, health: t.health, registrations: t.registrations,
      liveRecords: t.liveRecords, liveBytes: t.liveBytes, evictions: { ...t.evictions },
      firstSeq, lastSeq, lastUpdate: t.lastUpdate, bytes: t.bytes,
      cameras: [...this.cameras.values()],
    };
  }

  load(totals: Totals | undefined, cameras: CameraSummary[]): void {
    this.totals = { ...emptyTotals(), ...totals };
    for (const c of cameras) this.cameras.set(c.camera_id, c);
  }

  /** New totals and camera rows after `records`, without touching current state. Image
   *  files are not counted here: the caller adds those that gain their first reference. */
  plan(records: StoredRecord[]): StatsPlan {
    const totals = { ...this.totals };
    const touched = new Map<string, CameraSummary>();
    for (const r of records) {
      totals.records += 1;
      totals.bytes += r.size ?? 0;
      totals.liveRecords += 1;
      totals.liveBytes += ownBytes(r);
      const prev = touched.get(r.camera_id) ?? this.cameras.get(r.camera_id);
      if (r.kind === 'status') {
        // Presence changes are the gateway's own records: they do not count as camera traffic.
        if (prev) touched.set(r.camera_id, { ...prev, state: (r.data as unknown as StatusData).state });
        continue;
      }
      if (r.kind === 'alert') continue; // the gateway's own too: counted as records only
      const counter = COUNTER[r.kind];
      totals[counter] += 1;
      totals.lastUpdate = r.received_at;
      const row: CameraSummary = prev
        ? { ...prev, checkpoint_id: r.checkpoint_id, last_seen: r.received_at }
        : {
            camera_id: r.camera_id, checkpoint_id: r.checkpoint_id, first_seen: r.received_at,
            last_seen: r.received_at, detections: 0, health: 0, registrations: 0,
          };
      row[counter] += 1;
      touched.set(r.camera_id, row);
    }
    return {
      totals,
      cameras: touched,
      commit: () => {
        this.totals = totals;
        for (const [id, row] of touched) this.cameras.set(id, row);
      },
    };
  }
}
