// Token bucket for the uplink drain rate cap (messages per second; 0 = no cap), so that
// draining a week of backlog does not saturate a small uplink.

export class RateLimiter {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  /**
   * Takes a token: undefined when one was there (or there is no cap), else a promise that
   * resolves once one was taken. Not async: the uncapped drain calls it per message.
   */
  take(): Promise<void> | undefined {
    if (this.perSecond <= 0 || this.takeNow()) return undefined;
    return this.takeLater();
  }

  private takeNow(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private async takeLater(): Promise<void> {
    do {
      await new Promise((ok) => setTimeout(ok, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    } while (!this.takeNow());
  }
}
