// A TCP relay standing in for the checkpoint's uplink: it can be cut (existing connections
// dropped, new ones refused) and restored, and it can throttle to a link rate in bytes/s
// in both directions — a weak rural line — or delay everything by a one-way latency — a
// distant cloud. The broker behind it keeps running.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

export class LinkRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  up = true;
  port = 0;
  /** Payload bytes carried towards the broker. */
  bytesUp = 0;

  /** `delayMs`: one-way latency added in each direction (the round trip is twice it). */
  constructor(private readonly targetPort: number, private readonly bytesPerSecond = 0, private readonly delayMs = 0) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    this.server = createServer((client) => {
      if (!this.up) return client.destroy();
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.setNoDelay(true);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      this.carry(client, upstream, (n) => (this.bytesUp += n));
      this.carry(upstream, client, () => undefined);
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Copies from → to, at most bytesPerSecond (in 50 ms slices) when throttled, delayMs late when delayed. */
  private carry(from: Readable, to: Writable, count: (n: number) => void): void {
    if (this.delayMs > 0) {
      // Timers of one delay fire in the order they were set: bytes keep their order.
      from.on('data', (d: Buffer) => {
        count(d.length);
        setTimeout(() => to.write(d), this.delayMs);
      });
      from.on('end', () => setTimeout(() => to.end(), this.delayMs));
      return;
    }
    if (this.bytesPerSecond <= 0) {
      from.on('data', (d: Buffer) => count(d.length));
      from.pipe(to);
      return;
    }
    const slice = Math.max(1, Math.floor(this.bytesPerSecond / 20));
    const queue: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const pump = () => {
      let budget = slice;
      while (budget > 0 && queue.length > 0) {
        const head = queue[0]!;
        const part = head.subarray(0, budget);
        if (part.length === head.length) queue.shift();
        else queue[0] = head.subarray(part.length);
        budget -= part.length;
        count(part.length);
        to.write(part);
      }
      if (queue.length === 0) {
        clearInterval(timer);
        timer = undefined;
        from.resume();
      } else if (queue.reduce((n, b) => n + b.length, 0) > slice * 20) from.pause();
    };
    from.on('data', (d: Buffer) => {
      queue.push(d);
      timer ??= setInterval(pump, 50);
    });
    from.on('close', () => clearInterval(timer));
  }

  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.up = true;
  }

  close(): void {
    this.cut();
    this.server?.close();
  }
}
