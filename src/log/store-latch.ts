// The store's health and its failure latch (log/README.md, invariant 4). The first failed
// write latches the store as failed: from then on every write is refused at once with the
// reason (507 for a full disk, 503 otherwise), nothing is written through that backend
// handle again, and the store is reopened with backoff until it opens — or it is closed.
// A store that cannot open at start (opened with retry) is latched the same way. Which
// operations each state lets through is the log's gate (base-record-log.ts); this only
// keeps the state, says it to listeners, and runs the reopening.
import type { Logger } from 'pino';
import type { GatewayError } from '../errors.js';
import type { StoreHealth } from './record-log.js';
import { failureCode, failureReason, refusalOf } from './store-failure.js';

const DEFAULT_DELAYS = [1000, 2000, 5000, 10_000];

export interface LatchOptions {
  /** Waits between attempts to reopen (the last repeats). */
  delaysMs?: readonly number[] | undefined;
  /** Closes the failed backend and opens a fresh one (fields for the log line); throws when it cannot. */
  reopen: () => Promise<Record<string, unknown>>;
  /** Waits for work already queued to fail fast before a reopen starts. */
  settle: () => Promise<unknown>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'> | undefined;
}

export class StoreLatch {
  private h: StoreHealth = { state: 'new', failures: 0, recoveries: 0 };
  private readonly listeners = new Set<(h: StoreHealth) => void>();
  private timer: NodeJS.Timeout | undefined;
  private reopening: Promise<void> | undefined;
  private attempt = 0;

  constructor(private readonly o: LatchOptions) {}

  get state(): StoreHealth['state'] {
    return this.h.state;
  }

  health(): StoreHealth {
    return { ...this.h };
  }

  /** The error an operation the state does not allow is refused with. */
  refusal(): GatewayError {
    return refusalOf(this.h);
  }

  onChange(listener: (h: StoreHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  opened(): void {
    this.set({ state: 'open' });
  }

  /** Opening failed at start: latched, and reopened with backoff (a start must not exit). */
  openFailed(err: unknown): void {
    this.set({ state: 'failed', code: failureCode(err), reason: failureReason(err), since: new Date().toISOString() });
    this.schedule();
  }

  /** A write failed: latch once (a store already failed stays as it is) and start reopening. */
  failed(err: unknown): void {
    if (this.h.state !== 'open') return;
    const reason = err instanceof Error ? err.message : String(err);
    this.set({ state: 'failed', code: failureCode(err), reason, since: new Date().toISOString(), failures: this.h.failures + 1 });
    this.o.logger?.error({ err, code: this.h.code }, 'store write failed: refusing writes and reopening the store');
    this.schedule();
  }

  /** No more reopening: waits for one under way (it would say 'open'), then says closing. */
  async closing(): Promise<void> {
    clearTimeout(this.timer);
    if (this.reopening) await this.reopening;
    clearTimeout(this.timer);
    this.set({ state: 'closing' });
  }

  closed(): void {
    this.set({ state: 'closed' });
  }

  private schedule(): void {
    const delays = this.o.delaysMs ?? DEFAULT_DELAYS;
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 1000;
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.reopening = this.reopen().finally(() => {
        this.reopening = undefined;
      });
    }, delay);
  }

  private async reopen(): Promise<void> {
    if (this.h.state !== 'failed') return;
    await this.o.settle(); // queued writes fail fast; none touches the backend now
    this.set({ state: 'recovering' });
    try {
      const fields = await this.o.reopen();
      this.attempt = 0;
      this.set({ state: 'open', code: undefined, reason: undefined, since: undefined, recoveries: this.h.recoveries + 1 });
      this.o.logger?.info(fields, 'store reopened: accepting records again');
    } catch (err) {
      this.set({ state: 'failed', reason: failureReason(err), code: failureCode(err) });
      this.o.logger?.warn({ err }, 'store reopen failed; retrying');
      this.schedule();
    }
  }

  private set(change: Partial<StoreHealth>): void {
    const next = { ...this.h, ...change };
    for (const k of Object.keys(next) as (keyof StoreHealth)[]) if (next[k] === undefined) delete next[k];
    this.h = next;
    for (const l of this.listeners) l(this.health());
  }
}
