// Group commit: items submitted while a write is in progress are written together in the
// next batch, so N concurrent appends cost one fsync instead of N. No timer: a lone item
// is written at once; batching happens exactly when there is contention.

export type BatchWriter<T, R> = (items: T[]) => Promise<R[]>;

interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<T, R> {
  private queue: Waiting<T, R>[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly write: BatchWriter<T, R>,
    private readonly maxBatch: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) this.writing = this.run();
    });
  }

  /** Number of items waiting for the next batch. */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves when everything submitted so far has been written (or has failed). */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async run(): Promise<void> {
    // Let the current tick's submissions join the first batch.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i] as R));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.writing = undefined;
  }
}
