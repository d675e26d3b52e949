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
/** Time the byte rate for PUBACK deadlines is measured over (see bytesPerMs). */
const RATE_SPAN_MS = 30_000;

export class LinkWindow {
  private count = 0;
  private bytes = 0;
  /** Every resize of the last RATE_SPAN_MS: [bytes acknowledged, ms] (see bytesPerMs). */
  private readonly delivery: [bytes: number, ms: number][] = [];
  private deliveryMs = 0;
  private deliveryBytes = 0;
  /** The last rate measured over a span that carried bytes. */
  private lastRate: number | undefined;
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
   * Bytes per ms the link delivered over the last RATE_SPAN_MS, idle time included; kept
   * through a quiet spell that delivered nothing; undefined until something was measured.
   * Bytes count when their PUBACK comes, so a short sliding span overrates a link badly (a
   * 300 kB image acknowledged within one 100 ms resize reads as 3 MB/s on a 40 kB/s line).
   * The span starts with the connection (resetRate), so within its first 30 s the bytes
   * counted were all sent since then: never more than the link carried. After that, the
   * bytes counted were sent over at most 30 s plus one transfer: at most about twice the
   * real rate, within the margin of the PUBACK deadline built on it.
   */
  bytesPerMs(): number | undefined {
    // Called for every publish of a drain: running sums, no walk over the span.
    if (this.deliveryMs > 0 && this.deliveryBytes > 0) this.lastRate = this.deliveryBytes / this.deliveryMs;
    return this.lastRate;
  }

  /** A new connection may take another path: measure it afresh, starting from a quarter
   *  of the last rate (a record resent right after a reconnect still gets a deadline of
   *  seconds on a fast link, and one 16 times the time its bytes took before). */
  resetRate(): void {
    this.delivery.length = 0;
    this.deliveryMs = 0;
    this.deliveryBytes = 0;
    this.bytes = 0;
    if (this.lastRate !== undefined) this.lastRate /= 4;
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
    this.delivery.push([this.bytes, ms]);
    this.deliveryMs += ms;
    this.deliveryBytes += this.bytes;
    this.bytes = 0;
    while (this.deliveryMs - this.delivery[0]![1] >= RATE_SPAN_MS) {
      const [b, m] = this.delivery.shift()!;
      this.deliveryMs -= m;
      this.deliveryBytes -= b;
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
