// Checking a login once, not once per request. A page that loads 50 thumbnails sends the
// same Basic credentials 50 times at once; each used to run scrypt (43 ms) on the event
// loop. Here a credential verified once is trusted for a while (by its SHA-256, so the
// cache holds no password), concurrent checks of one credential share one scrypt, and
// scrypt runs one at a time in the thread pool, so a flood of wrong passwords cannot take
// the threads LevelDB writes with; past a short queue, checks are refused at once.
import { createHash } from 'node:crypto';

export interface LoginCheckOptions {
  /** How long a verified credential is trusted. */
  ttlMs?: number;
  /** Verified credentials kept (oldest dropped first). */
  maxEntries?: number;
  /** Checks waiting for scrypt before more are refused. */
  maxWaiting?: number;
  now?: () => number;
}

export class LoginChecks {
  private readonly verified = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private serial: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxWaiting: number;
  private readonly now: () => number;

  /** `verify` does the expensive check of a credential (scrypt). */
  constructor(private readonly verify: (credential: string) => Promise<boolean>, o: LoginCheckOptions = {}) {
    this.ttlMs = o.ttlMs ?? 5 * 60_000;
    this.maxEntries = o.maxEntries ?? 256;
    this.maxWaiting = o.maxWaiting ?? 16;
    this.now = o.now ?? Date.now;
  }

  check(credential: string): Promise<boolean> {
    const key = createHash('sha256').update(credential).digest('base64');
    const until = this.verified.get(key);
    if (until !== undefined) {
      if (until > this.now()) return Promise.resolve(true);
      this.verified.delete(key);
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    if (this.waiting >= this.maxWaiting) return Promise.resolve(false);
    this.waiting += 1;
    const run = this.serial.then(() => this.verify(credential)).then((ok) => {
      if (ok) this.remember(key);
      return ok;
    }, () => false).finally(() => {
      this.waiting -= 1;
      this.inFlight.delete(key);
    });
    this.serial = run;
    this.inFlight.set(key, run);
    return run;
  }

  private remember(key: string): void {
    if (this.verified.size >= this.maxEntries) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(key, this.now() + this.ttlMs);
  }
}
