// Follows the log page by page from a durable cursor, for the gateway's own readers (the
// hotlist watch, the plate index). A page's cursor is saved only after its handler
// finished, so a crash repeats a page, never skips one: handlers must be idempotent.
import type { Logger } from 'pino';
import type { StoredRecord } from '../log/record.js';
import type { RecordLog } from '../log/record-log.js';
import { Backoff } from './backoff.js';

export interface LogFollowerOptions {
  log: RecordLog;
  /** Cursor name. */
  name: string;
  logger: Logger;
  handle: (page: StoredRecord[]) => Promise<void>;
  pageSize?: number;
  /** Where a follower with no saved cursor starts (default: the beginning). */
  firstStart?: () => Promise<number>;
  /** While true, records are passed over unread (e.g. nothing on the hotlist to match). */
  idle?: () => boolean;
  /** Least time after a page that was not full: lets pages fill (a derived index, say). */
  minIntervalMs?: number;
}

/** Least time between cursor writes while pages keep coming (see saveCursor). */
const CURSOR_SAVE_MS = 200;

export class LogFollower {
  private cursor = 0;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake_: (() => void) | undefined;
  /** An append came while the loop was busy: look again before sleeping. */
  private poked = false;
  /** wake() was called: even a pause ends. */
  private woken = false;
  private readonly backoff = new Backoff(250, 10_000);
  private readonly waiters: { seq: number; ok: () => void }[] = [];
  /** When the cursor was last written, and whether it has moved since. */
  private savedAt = 0;
  private unsaved = false;

  constructor(private readonly opts: LogFollowerOptions) {}

  position(): number {
    return this.cursor;
  }

  lag(): number {
    return Math.max(0, this.opts.log.lastSeq() - this.cursor);
  }

  async start(from?: number): Promise<void> {
    if (!this.stopped) return;
    const saved = await this.opts.log.getState<boolean>(`follower:${this.opts.name}`);
    this.cursor = from ?? (saved ? await this.opts.log.getCursor(this.opts.name) : (await this.opts.firstStart?.()) ?? 0);
    if (from !== undefined || !saved) await this.save();
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake_?.();
    await this.loop;
  }

  /** Looks at the log now, even while idle (e.g. the hotlist just got its first entry). */
  wake(): void {
    this.poked = true;
    this.woken = true;
    this.wake_?.();
  }

  /** Resolves once every record up to `seq` has been handled. */
  reached(seq: number): Promise<void> {
    if (this.cursor >= seq) return Promise.resolve();
    return new Promise((ok) => this.waiters.push({ seq, ok }));
  }

  private async save(): Promise<void> {
    await this.opts.log.setCursor(this.opts.name, this.cursor);
    await this.opts.log.setState(`follower:${this.opts.name}`, true);
  }

  private async run(): Promise<void> {
    const { log, logger } = this.opts;
    const pageSize = this.opts.pageSize ?? 500;
    const unsubscribe = log.onAppend(() => {
      this.poked = true;
      this.wake_?.();
    });
    try {
      while (!this.stopped) {
        let page: StoredRecord[];
        this.poked = false;
        this.woken = false;
        if (this.opts.idle?.()) {
          // Once a second, not per append: passing records over costs one cursor write.
          if (log.lastSeq() > this.cursor) {
            this.cursor = log.lastSeq();
            await this.saveCursor(true).catch(() => undefined);
            this.settleWaiters(this.cursor);
          }
          await this.sleep(1000, true);
          continue;
        }
        try {
          page = await log.readAfter(this.cursor, pageSize);
          if (page.length > 0) {
            await this.opts.handle(page);
            this.cursor = page[page.length - 1]!.seq;
            await this.saveCursor(false);
            this.backoff.reset();
            this.settleWaiters(this.cursor);
            // A full page means more is waiting: pausing then would let a busy log run away
            // from the follower (past the log's tail of recent records, into re-reading
            // every record from LevelDB; at 9 k records/s the plate index fell further
            // behind with every page).
            if (this.opts.minIntervalMs && page.length < pageSize) await this.sleep(this.opts.minIntervalMs, true);
          }
        } catch (err) {
          // The store reopening after a fault, say: wait and repeat the same page.
          const delay = this.backoff.next();
          logger.warn({ err, follower: this.opts.name, cursor: this.cursor, retryInMs: delay }, 'log follower failed; retrying');
          await this.sleep(delay);
          continue;
        }
        if (page.length === 0) {
          // Nothing after the cursor: everything up to the last seq is handled (or evicted).
          this.settleWaiters(log.lastSeq());
          // Written here too once CURSOR_SAVE_MS has passed: a log gone quiet leaves none unsaved for long.
          if (this.unsaved) await this.saveCursor(false).catch(() => undefined);
          await this.sleep(1000);
        }
      }
    } finally {
      unsubscribe();
      if (this.unsaved) await this.saveCursor(true).catch((err: unknown) => logger.warn({ err, follower: this.opts.name }, 'could not save follower cursor at stop'));
    }
  }

  /**
   * Writes the cursor at most every CURSOR_SAVE_MS (and at stop): followed at once, a busy
   * log gives the hotlist watch a page per group commit, and a LevelDB put per page was 2 %
   * of the gateway's main thread under REST load. A crash repeats at most that much of the
   * log (handlers are idempotent).
   */
  private async saveCursor(now: boolean): Promise<void> {
    if (!now && Date.now() - this.savedAt < CURSOR_SAVE_MS) {
      this.unsaved = true;
      return;
    }
    this.savedAt = Date.now();
    this.unsaved = false;
    try {
      await this.opts.log.setCursor(this.opts.name, this.cursor);
    } catch (err) {
      this.unsaved = true;
      throw err;
    }
  }

  private settleWaiters(at: number): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.seq <= at) this.waiters.splice(i, 1)[0]!.ok();
    }
  }

  /** Waits up to `ms`; an append cuts it short (unless `pause`), and so does stop(). */
  private sleep(ms: number, pause = false): Promise<void> {
    if (this.stopped || this.woken || (!pause && this.poked)) return Promise.resolve();
    return new Promise((ok) => {
      const done = () => {
        clearTimeout(timer);
        this.wake_ = undefined;
        ok();
      };
      const timer = setTimeout(done, ms);
      this.wake_ = () => {
        if (!pause || this.stopped || this.woken) done();
      };
    });
  }
}
