// The log as NDJSON lines (docs/EVIDENCE.md §5): the operator's way to recover data by hand
// after a long outage, and the evidence a verifier checks. Reads the log in pages (bounded
// memory). Every line is either a record — its stored line, byte for byte — or a typed
// line, `{"line":"<type>",…}`:
//   export          the first line: the format, and whether this is a selection;
//   gap             a run of removed records in its place (log/gap-rows.ts);
//   images_evicted  after a record whose images were evicted under disk pressure;
//   checkpoint      a signed checkpoint, after the record (or gap) it covers.
import type { ImageRef, StoredRecord } from '../log/record.js';
import type { GapRow, RecordLog } from '../log/record-log.js';
import type { Checkpoint } from './checkpoint-signature.js';
import { CheckpointStore } from './checkpoint-store.js';

export const EXPORT_FORMAT = 2;

export interface ExportFilter {
  /** ISO time: records received at or after it. */
  since?: string | undefined;
  cameraId?: string | undefined;
}

export interface ExportOptions {
  /** Signs a checkpoint of the head first (so the whole export is pinned); none without a key. */
  checkpoint?: (() => Promise<unknown>) | undefined;
  pageSize?: number;
}

/** The file an exported image is written to (lpr-gateway export --images DIR; verify --images DIR). */
export function imageFileName(r: { id: string }, image: Pick<ImageRef, 'name' | 'content_type'>): string {
  return `${r.id}-${image.name}${image.content_type === 'image/jpeg' ? '.jpg' : ''}`;
}

/** One line of an export (without its newline), and the record it is, if it is one. */
export interface ExportLine {
  text: Buffer | string;
  record?: StoredRecord;
}

const typed = (type: string, members: Record<string, unknown>): ExportLine => ({ text: JSON.stringify({ line: type, ...members }) });

const checkpointLine = (cp: Checkpoint): ExportLine => typed('checkpoint', { ...cp });

export async function* exportRecords(log: RecordLog, filter: ExportFilter, opts: ExportOptions = {}): AsyncGenerator<ExportLine> {
  await opts.checkpoint?.();
  // Up to the head as it is now: records appended while exporting belong to the next export.
  const end = log.lastSeq();
  const since = filter.since ? Date.parse(filter.since) : Number.NEGATIVE_INFINITY;
  const selection = filter.since !== undefined || filter.cameraId !== undefined;
  yield typed('export', {
    format: EXPORT_FORMAT, exported_at: new Date().toISOString(), last_seq: end,
    selection: selection ? { camera_id: filter.cameraId ?? null, since: filter.since ?? null } : null,
  });
  const gaps = selection ? [] : log.gaps().filter((g) => g.from_seq <= end);
  const checkpoints = new CheckpointReader(new CheckpointStore(log));
  /** Gaps and checkpoints up to `seq`, in order. */
  async function* upTo(seq: number): AsyncGenerator<ExportLine> {
    for (;;) {
      const gap = gaps[0];
      const cp = await checkpoints.peek();
      const nextGap = gap && gap.from_seq <= seq ? gap.from_seq : Infinity;
      const nextCp = cp && cp.seq < seq && cp.seq <= end ? cp.seq : Infinity;
      if (nextGap === Infinity && nextCp === Infinity) return;
      // A checkpoint inside a gap comes after the gap line.
      if (nextGap <= nextCp) yield gapLine(gaps.shift()!);
      else yield checkpointLine(await checkpoints.take());
    }
  }
  let after = 0;
  while (after < end) {
    const page = await log.readAfter(after, Math.min(opts.pageSize ?? 500, end - after));
    if (page.length === 0) break;
    for (const r of page) {
      if (r.seq > end) break;
      after = r.seq;
      yield* upTo(r.seq);
      const chosen = !selection || (r.kind !== 'status' && Date.parse(r.received_at) >= since && (filter.cameraId === undefined || r.camera_id === filter.cameraId));
      if (chosen) {
        yield { text: r.line, record: r };
        if (r.images.some((i) => i.evicted)) yield typed('images_evicted', { seq: r.seq, images: r.images.map((i) => i.name) });
      }
      // Checkpoints of this record follow it.
      for (let cp = await checkpoints.peek(); cp && cp.seq === r.seq; cp = await checkpoints.peek()) yield checkpointLine(await checkpoints.take());
    }
  }
  yield* upTo(end + 1);
}

const gapLine = (g: GapRow): ExportLine => typed('gap', { ...g });

/** Checkpoints in seq order, a page at a time. */
class CheckpointReader {
  private buf: Checkpoint[] = [];
  private after = 0;
  private done = false;

  constructor(private readonly stored: CheckpointStore) {}

  async peek(): Promise<Checkpoint | undefined> {
    if (this.buf.length === 0 && !this.done) {
      this.buf = await this.stored.after(this.after, 100);
      if (this.buf.length === 0) this.done = true;
      else this.after = this.buf.at(-1)!.seq;
    }
    return this.buf[0];
  }

  async take(): Promise<Checkpoint> {
    await this.peek();
    return this.buf.shift()!;
  }
}
