// How far each camera's clock is off: the gateway's receive time minus the camera's own
// timestamp (naive times already read in camera.timezone), as a rolling median so one
// late resend does not flip it. Many cameras have no real-time clock and drift.
// In memory only: a restart learns it again from the next few records.
import type { GatewayError } from '../errors.js';
import type { AcceptContext, AcceptResult, IngestObserver } from '../ingest/ingest.js';

/** Samples per camera the median is taken over. */
const WINDOW = 31;

export interface CameraClock {
  camera_id: string;
  /** Positive: the camera's clock is behind the gateway's; seconds. */
  offset_s: number;
  samples: number;
  warning: boolean;
}

export class CameraClocks implements IngestObserver {
  private readonly samples = new Map<string, number[]>();

  constructor(private readonly warnAfterMs: number) {}

  accepted(result: AcceptResult, _ctx: AcceptContext): void {
    const r = result.record;
    if (!r || (r.kind !== 'detection' && r.kind !== 'health')) return;
    const offset = Date.parse(r.received_at) - Date.parse(r.time);
    if (!Number.isFinite(offset)) return;
    let list = this.samples.get(r.camera_id);
    if (!list) this.samples.set(r.camera_id, (list = []));
    list.push(offset);
    if (list.length > WINDOW) list.shift();
  }

  rejected(_error: GatewayError, _ctx: AcceptContext): void {}

  /** The median offset of one camera (ms), if it sent anything since start. */
  offsetMs(cameraId: string): number | undefined {
    const list = this.samples.get(cameraId);
    if (!list?.length) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  snapshot(): CameraClock[] {
    return [...this.samples.keys()].sort().map((camera_id) => {
      const ms = this.offsetMs(camera_id)!;
      return { camera_id, offset_s: Math.round(ms / 100) / 10, samples: this.samples.get(camera_id)!.length, warning: Math.abs(ms) > this.warnAfterMs };
    });
  }
}
