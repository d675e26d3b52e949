// What the status page shows, kept in memory from ingest events: per camera the latest
// plates and image, records per minute; recent rejections. Joined at snapshot time with
// the log's camera rows (state, last seen, counts) and the uplink/backlog state.
import type { GatewayError } from '../errors.js';
import type { AcceptContext, AcceptResult, IngestObserver } from '../ingest/ingest.js';
import type { DetectionData } from '../log/record.js';
import type { RecordLog } from '../log/record-log.js';

interface LatestDetection {
  detection_id: string;
  plates: string[];
  time: string;
  received_at: string;
  image: string | null;
}

export interface Rejection {
  at: string;
  code: string;
  message: string;
  transport: string;
  remote: string | undefined;
}

const MAX_REJECTIONS = 20;

export class LiveView implements IngestObserver {
  private readonly latest = new Map<string, LatestDetection>();
  private readonly recent = new Map<string, number[]>();
  private readonly rejections: Rejection[] = [];

  constructor(private readonly log: RecordLog, private readonly extra: () => Record<string, unknown>) {}

  accepted(result: AcceptResult): void {
    const r = result.record;
    if (!r || r.kind === 'status') return;
    const now = Date.now();
    const times = this.recent.get(r.camera_id) ?? [];
    times.push(now);
    while (times.length > 0 && times[0]! < now - 60_000) times.shift();
    this.recent.set(r.camera_id, times);
    if (r.kind !== 'detection') return;
    // Thumbnail: the first plate crop if any, else the frame.
    const image = r.images.find((i) => i.name.startsWith('cropped_plate')) ?? r.images[0];
    this.latest.set(r.camera_id, {
      detection_id: r.id, plates: (r.data as unknown as DetectionData).plates, time: r.time, received_at: r.received_at,
      image: image ? `/api/images/${image.sha256}` : null,
    });
  }

  rejected(error: GatewayError, ctx: AcceptContext): void {
    this.rejections.unshift({ at: new Date().toISOString(), code: error.code, message: error.message, transport: ctx.source, remote: ctx.remote });
    this.rejections.length = Math.min(this.rejections.length, MAX_REJECTIONS);
  }

  snapshot(): Record<string, unknown> {
    const now = Date.now();
    const rows = [...this.log.stats().cameras].sort((a, b) => a.checkpoint_id.localeCompare(b.checkpoint_id) || a.camera_id.localeCompare(b.camera_id, undefined, { numeric: true }));
    const cameras = rows.map((c) => ({
      ...c,
      state: c.state ?? 'unknown',
      per_minute: (this.recent.get(c.camera_id) ?? []).filter((t) => t >= now - 60_000).length,
      latest: this.latest.get(c.camera_id) ?? null,
    }));
    return { time: new Date(now).toISOString(), cameras, rejections: this.rejections, ...this.extra() };
  }
}
