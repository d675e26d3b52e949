// Buffers that big camera images are decoded into (lift-images.ts), used again once the
// image file is written. A fresh 1.5 MB buffer per image left the old one for V8 to free at
// its next full collection, which comes only after tens of MB of such external memory: 40
// images on 4 connections took glibc's heap to about 44 MB and the gateway to 132-144 MB
// RSS (bench:soak). Only buffers this pool lent come back, and only once; an image whose
// request failed before its file was written is simply collected.

/** Buffers kept for the next images, and their bytes at most (4 connections of 1.5 MB images, with room). */
const MAX_BUFFERS = 4;
const MAX_BYTES = 24 * 1024 * 1024;
/** Smaller images are not worth keeping a buffer for. */
const MIN_BYTES = 256 * 1024;
/** An idle gateway lets the kept buffers go. */
const KEEP_MS = 30_000;

export class BufferPool {
  private kept: ArrayBuffer[] = [];
  private keptBytes = 0;
  private readonly lent = new WeakSet<ArrayBuffer>();
  private timer: NodeJS.Timeout | undefined;
  /** Buffers lent again (not allocated), since start. */
  reused = 0;

  constructor(private readonly opts = { maxBuffers: MAX_BUFFERS, maxBytes: MAX_BYTES, minBytes: MIN_BYTES, keepMs: KEEP_MS }) {}

  /** A buffer of at least `size` bytes (its contents are old bytes, to be overwritten). */
  take(size: number): Buffer {
    if (size >= this.opts.minBytes) {
      // The smallest kept buffer that fits, unless it is far bigger than needed.
      let best = -1;
      this.kept.forEach((ab, i) => {
        if (ab.byteLength >= size && ab.byteLength <= size * 4 && (best < 0 || ab.byteLength < this.kept[best]!.byteLength)) best = i;
      });
      if (best >= 0) {
        const [ab] = this.kept.splice(best, 1);
        this.keptBytes -= ab!.byteLength;
        this.lent.add(ab!);
        this.reused += 1;
        return Buffer.from(ab!);
      }
    }
    const buf = Buffer.allocUnsafeSlow(size);
    if (size >= this.opts.minBytes) this.lent.add(buf.buffer);
    return buf;
  }

  /**
   * Hands back the buffer under `view` (a slice of a buffer take() gave). The caller must
   * not touch it afterwards: the next image is decoded into it.
   */
  give(view: Buffer): void {
    const ab = view.buffer as ArrayBuffer;
    if (!this.lent.has(ab)) return;
    this.lent.delete(ab);
    if (this.kept.length >= this.opts.maxBuffers || this.keptBytes + ab.byteLength > this.opts.maxBytes) return;
    this.kept.push(ab);
    this.keptBytes += ab.byteLength;
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => this.clear(), this.opts.keepMs).unref();
  }

  /** Buffers kept now (for tests and metrics). */
  size(): number {
    return this.kept.length;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.kept = [];
    this.keptBytes = 0;
  }
}

/** The gateway's one pool for decoded images. */
export const imageBuffers = new BufferPool();
