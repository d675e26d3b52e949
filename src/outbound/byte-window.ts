// A window counted in bytes: at most `budget` bytes in flight, except that one message
// of any size may always go alone. Keeps megabytes of images from queueing on a slow
// link ahead of live detection JSON.

export class ByteWindow {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly budget: number) {}

  get bytes(): number {
    return this.inFlight;
  }

  async acquire(n: number): Promise<void> {
    while (this.inFlight > 0 && this.inFlight + n > this.budget) {
      await new Promise<void>((ok) => this.waiting.push(ok));
    }
    this.inFlight += n;
  }

  release(n: number): void {
    this.inFlight = Math.max(0, this.inFlight - n);
    for (const w of this.waiting.splice(0)) w();
  }
}
