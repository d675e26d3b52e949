// The JSON lane's in-flight window, sized to the link. A distant cloud is kept busy only
// with a round trip's worth of messages in flight (200 at a 50 ms round trip held a drain
// under 4,000/s); a weak link wants few, or everything waits behind a queue of them and a
// dropped connection resends all of it. So the window is what the link delivered over the
// last few resizes (half a second in the uplink), scaled to `queueMs`: at least `min`, at
// most `max` (uplink.window, which stays the bound on duplicates). Starting small, it
// grows manyfold per resize while round trips are short against queueMs, and settles at
// queueMs of traffic where the link is the bottleneck.

export interface LinkWindowOptions {
  min: number;
  max: number;
  /** Time's worth of the link's measured delivery rate to keep in flight. */
  queueMs: number;
}

/** Resizes the delivery rate is measured over: a burst of PUBACKs is not taken for a faster link. */
const SPAN = 5;

export class LinkWindow {
  private count = 0;
  private bytes = 0;
  /** The last SPAN resizes that carried bytes: [bytes acknowledged, ms]. Idle ones are left
   *  out, so a quiet minute does not make a fast link look slow (see bytesPerMs). */
  private readonly busy: [bytes: number, ms: number][] = [];
  /** The last SPAN resizes: [messages acknowledged, ms]. */
  private readonly recent: [count: number, ms: number][] = [];
  private since: number;
  private max: number;
  private value: number;

  constructor(private readonly opts: LinkWindowOptions, private readonly now: () => number = () => performance.now()) {
    this.max = opts.max;
    this.value = this.clamp(opts.min);
    this.since = now();
  }

  get window(): number {
    return this.value;
  }

  /** A lower maximum from the broker (MQTT 5 Receive Maximum), or the configured one again. */
  setMax(max: number): void {
    this.max = max;
    this.value = this.clamp(this.value);
  }

  /** A message was acknowledged (PUBACK). */
  acked(): void {
    this.count += 1;
  }

  /** Bytes of any message (either lane) were acknowledged: what the delivery rate counts. */
  delivered(bytes: number): void {
    this.bytes += bytes;
  }

  /**
   * Bytes per ms the link delivered while it carried traffic, over the last few resizes
   * that did; undefined until something was measured (or after resetRate). A lower bound on
   * what the link can do, which is the safe side for a PUBACK deadline built on it.
   */
  bytesPerMs(): number | undefined {
    let bytes = 0;
    let ms = 0;
    for (const [b, m] of this.busy) {
      bytes += b;
      ms += m;
    }
    return bytes > 0 && ms > 0 ? bytes / ms : undefined;
  }

  /** A new connection may take another path: measure it afresh. */
  resetRate(): void {
    this.busy.length = 0;
    this.bytes = 0;
  }

  /** Sizes the window from what was acknowledged lately, and returns it. */
  resize(): number {
    const t = this.now();
    const ms = t - this.since;
    if (ms <= 0) return this.value;
    this.since = t;
    this.recent.push([this.count, ms]);
    if (this.recent.length > SPAN) this.recent.shift();
    this.count = 0;
    if (this.bytes > 0) {
      this.busy.push([this.bytes, ms]);
      if (this.busy.length > SPAN) this.busy.shift();
      this.bytes = 0;
    }
    let count = 0;
    let span = 0;
    for (const [c, m] of this.recent) {
      count += c;
      span += m;
    }
    // Messages the link delivered per ms lately, times queueMs.
    this.value = this.clamp(Math.floor((count * this.opts.queueMs) / span));
    return this.value;
  }

  private clamp(n: number): number {
    return Math.max(1, Math.min(this.max, Math.max(this.opts.min, n)));
  }
}
