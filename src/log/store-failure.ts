// How a failed store write is named to cameras and operators: a full disk is 507
// STORE_FULL (cameras keep their copy and resend later), anything else 503
// STORE_UNAVAILABLE. Both carry Retry-After; neither is ever a 500 or a hang.
import { GatewayError } from '../errors.js';
import type { StoreHealth } from './record-log.js';

const NO_SPACE = /ENOSPC|no space left|disk full|quota exceeded|EDQUOT/i;

export function isNoSpace(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  return e?.code === 'ENOSPC' || e?.code === 'EDQUOT' || NO_SPACE.test(String(e?.message ?? err));
}

export function failureCode(err: unknown): 'STORE_FULL' | 'STORE_UNAVAILABLE' {
  return isNoSpace(err) ? 'STORE_FULL' : 'STORE_UNAVAILABLE';
}

/** The error a write gets while the store is not writable. */
export function refusalOf(health: StoreHealth): GatewayError {
  if (health.state === 'failed' || health.state === 'recovering') {
    const full = health.code === 'STORE_FULL';
    return new GatewayError(health.code ?? 'STORE_UNAVAILABLE', full
      ? "the gateway's disk is full; resend later"
      : `the gateway's store is recovering from a write error (${health.reason ?? 'unknown'}); resend later`, { retryAfter: full ? 30 : 5 });
  }
  return new GatewayError('STORE_UNAVAILABLE', 'the store is not open', { retryAfter: 5 });
}

/** A write that failed, as the GatewayError the caller sees (the cause kept for logs). */
export function writeError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = failureCode(err);
  return new GatewayError(code, code === 'STORE_FULL' ? "the gateway's disk is full; resend later" : 'writing to the store failed; resend later', {
    cause: err, retryAfter: code === 'STORE_FULL' ? 30 : 5,
  });
}
