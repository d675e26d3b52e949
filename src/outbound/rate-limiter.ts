// Token bucket for the uplink drain rate cap (messages per second; 0 = no cap), so that
// draining a week of backlog does not saturate a small uplink.

export class RateLimiter {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  async take(): Promise<void> {
    if (this.perSecond <= 0) return;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((ok) => setTimeout(ok, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}
