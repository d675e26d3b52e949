// Where the process's log lines go (stdout): a destination that never makes the caller
// wait. pino's default destination writes synchronously and retries a write that cannot
// go through, so stdout on a full disk or a pipe nobody reads froze the whole gateway —
// no acks, SIGTERM ignored (README.md, "Operating it": logs).
// Here a line is queued in a bounded buffer and written asynchronously; when the buffer is
// full or a write fails, lines are dropped and counted (lprgw_log_lines_dropped_total), and
// once writing works again one line says how many were lost.
//  - a pipe or socket (journald, `| tee`): a libuv stream opened on the descriptor, which
//    makes it non-blocking; Node's own process.stdout sets pipes blocking on Linux.
//  - a file, a terminal, /dev/null: fs.write from the thread pool, one write at a time (a
//    full disk answers ENOSPC at once; nothing waits on it).
import { fstatSync, write } from 'node:fs';
import { Socket } from 'node:net';

export interface LogDestination {
  write(line: string): void;
  /** Lines dropped since start because the destination could not take them. */
  readonly dropped: number;
}

export interface LogDestinationOptions {
  fd?: number;
  /** Bytes queued before new lines are dropped. */
  maxQueuedBytes?: number;
  /** The line that reports a loss, in the log's own format. */
  lostLine?: (lost: number) => string;
}

const DEFAULT_MAX_QUEUED = 1024 * 1024;

export function createLogDestination(o: LogDestinationOptions = {}): LogDestination {
  const fd = o.fd ?? 1;
  const stat = fstatSync(fd);
  const sink = stat.isFIFO() || stat.isSocket() ? streamSink(fd) : fileSink(fd);
  return new DroppingDestination(sink, o.maxQueuedBytes ?? DEFAULT_MAX_QUEUED, o.lostLine ?? defaultLostLine);
}

/** What a destination writes through: a batch at a time, told when it is done. */
interface Sink {
  /** Writes `text`; calls back with an error, or none once it is written. */
  send(text: string, done: (err?: Error | null) => void): void;
}

class DroppingDestination implements LogDestination {
  private queue: string[] = [];
  private queuedBytes = 0;
  private writing = false;
  private dropped_ = 0;
  /** Dropped since the last successful write (reported once writing works again). */
  private unreported = 0;

  constructor(private readonly sink: Sink, private readonly maxQueued: number, private readonly lostLine: (n: number) => string) {}

  get dropped(): number {
    return this.dropped_;
  }

  write(line: string): void {
    if (this.queuedBytes + line.length > this.maxQueued) {
      this.drop(1);
      return;
    }
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (!this.writing) this.flush();
  }

  private drop(lines: number): void {
    this.dropped_ += lines;
    this.unreported += lines;
  }

  private flush(): void {
    if (this.queue.length === 0) return;
    const lines = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    this.writing = true;
    this.sink.send(lines.join(''), (err) => {
      this.writing = false;
      if (err) this.drop(lines.length);
      else if (this.unreported > 0) {
        // Said after a write went through, so the reader learns of the gap where it is.
        const lost = this.unreported;
        this.unreported = 0;
        this.queue.unshift(this.lostLine(lost));
        this.queuedBytes += this.queue[0]!.length;
      }
      // A failing destination is tried again with the next line, never in a loop.
      if (!err) this.flush();
    });
  }
}

function fileSink(fd: number): Sink {
  return {
    send(text, done) {
      const data = Buffer.from(text);
      const next = (offset: number): void => {
        write(fd, data, offset, data.length - offset, null, (err, n) => {
          if (err) return done(err);
          if (offset + n < data.length) return next(offset + n);
          done();
        });
      };
      next(0);
    },
  };
}

function streamSink(fd: number): Sink {
  const socket = new Socket({ fd, readable: false, writable: true });
  socket.unref(); // a log pipe never keeps the process alive
  let broken: Error | undefined;
  socket.on('error', (err) => {
    broken = err; // the reader went away (EPIPE): every later line is dropped and counted
  });
  return {
    send(text, done) {
      if (broken) return done(broken);
      // libuv queues what the pipe cannot take yet; the callback comes once it is written.
      socket.write(text, (err) => done(err ?? broken));
    },
  };
}

function defaultLostLine(lost: number): string {
  return `${JSON.stringify({ level: 40, time: Date.now(), service: 'lpr-gateway', dropped: lost, msg: `${lost} log lines were dropped: the log destination could not be written` })}\n`;
}
