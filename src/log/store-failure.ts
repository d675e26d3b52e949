// How a failed store write is named to cameras and operators: a full disk is 507
// STORE_FULL (cameras keep their copy and resend later), anything else 503
// STORE_UNAVAILABLE. Both carry Retry-After; neither is ever a 500 or a hang.
import { GatewayError } from '../errors.js';
import type { StoreHealth } from './record-log.js';

const NO_SPACE = /ENOSPC|no space left|disk full|quota exceeded|EDQUOT/i;

/** The error and its causes, outermost first (LevelDB wraps its reason: "Database failed to open" ← "IO error: …"). */
function causeChain(err: unknown): { code?: unknown; message?: unknown }[] {
  const chain: { code?: unknown; message?: unknown }[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    chain.push(typeof e === 'object' ? (e as { code?: unknown; message?: unknown }) : { message: String(e) });
    if (typeof e !== 'object') break;
  }
  return chain;
}

export function isNoSpace(err: unknown): boolean {
  return causeChain(err).some((e) => e.code === 'ENOSPC' || e.code === 'EDQUOT' || NO_SPACE.test(String(e.message ?? '')));
}

/** One line for people: every message along the cause chain. */
export function failureReason(err: unknown): string {
  return causeChain(err).map((e) => String(e.message ?? e.code ?? 'unknown')).join(': ');
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
      : `the gateway's store is unavailable and being reopened (${health.reason ?? 'unknown'}); resend later`, { retryAfter: full ? 30 : 5 });
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

/** Whether opening failed because another process holds the store (LevelDB's lock). */
export function storeInUse(err: unknown): boolean {
  return causeChain(err).some((e) => e.code === 'LEVEL_LOCKED');
}
