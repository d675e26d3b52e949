// Per-client-address token buckets for camera messages: generous (a camera flushing its
// backlog never hits them), but one misbehaving device cannot monopolise the gateway.
import { gatewayError } from '../errors.js';

export interface ClientRateLimit {
  /** Throws RATE_LIMITED when `address` is over its rate. */
  take(address: string | undefined): void;
}

export function createClientRateLimit(perSecond: number, burst: number, now: () => number = Date.now): ClientRateLimit {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  return {
    take(address) {
      if (perSecond <= 0) return;
      const key = address ?? 'unknown';
      const t = now();
      // Forget idle clients now and then, so the map stays as small as the set of talkers.
      if (t - lastSweep > 60_000) {
        for (const [k, b] of buckets) if (t - b.at > 60_000) buckets.delete(k);
        lastSweep = t;
      }
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
      b.at = t;
      if (b.tokens < 1) {
        buckets.set(key, b);
        throw gatewayError('RATE_LIMITED', key, { retryAfter: Math.ceil(1 / perSecond) || 1 });
      }
      b.tokens -= 1;
      buckets.set(key, b);
    },
  };
}
