// Time the gateway has been running, kept in the store: the clock that ages undelivered
// records (store.maxUndeliveredAge). Wall-clock time cannot be trusted for deleting data
// nobody has received yet — a box without a real-time clock boots in 1970, NTP corrects by
// months — so it is counted with the monotonic clock, tick by tick, and survives restarts.
// Time powered off does not count: an undelivered record ages only while the gateway runs.
// Marks [seq, elapsed] say "by then the log reached seq", which bounds each record's age.
import type { RecordLog } from './record-log.js';

interface ClockState {
  elapsedMs: number;
  marks: [number, number][];
}

const KEY = 'running-clock';
const MAX_MARKS = 256;

export class RunningClock {
  private state: ClockState | undefined;
  private lastTick: number;

  constructor(private readonly log: RecordLog, private readonly markEveryMs: number, private readonly mono = () => performance.now()) {
    this.lastTick = mono();
  }

  /** Advances the clock, marks the current last seq, saves; returns elapsed ms. */
  async tick(): Promise<number> {
    const s = (this.state ??= (await this.log.getState<ClockState>(KEY)) ?? { elapsedMs: 0, marks: [] });
    const now = this.mono();
    s.elapsedMs += Math.max(0, now - this.lastTick);
    this.lastTick = now;
    const last = s.marks.at(-1);
    const seq = this.log.lastSeq();
    if (!last || (seq > last[0] && s.elapsedMs - last[1] >= this.markEveryMs)) s.marks.push([seq, s.elapsedMs]);
    const first = this.log.stats().firstSeq;
    // Marks wholly below the log's start say nothing any more; keep the list short.
    while (s.marks.length > 1 && s.marks[1]![0] < first) s.marks.shift();
    if (s.marks.length > MAX_MARKS) s.marks = s.marks.filter((_, i) => i % 2 === 0 || i === s.marks.length - 1);
    await this.log.setState(KEY, s);
    return s.elapsedMs;
  }

  /** Highest seq known to be older than `ageMs` of running time (0: none). */
  seqOlderThan(ageMs: number): number {
    const s = this.state;
    if (!s) return 0;
    let seq = 0;
    for (const [markSeq, at] of s.marks) if (s.elapsedMs - at > ageMs) seq = markSeq;
    return seq;
  }
}
