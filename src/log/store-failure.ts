// How a failed store write is named to cameras and operators: a full disk is 507
// STORE_FULL (cameras keep their copy and resend later), anything else 503
// STORE_UNAVAILABLE. Both carry Retry-After; neither is ever a 500 or a hang.
import { GatewayError, gatewayError } from '../errors.js';
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
    return health.code === 'STORE_FULL' ? gatewayError('DISK_FULL') : gatewayError('STORE_REOPENING', health.reason ?? 'unknown');
  }
  return gatewayError('STORE_NOT_OPEN');
}

/** A write that failed, as the GatewayError the caller sees (the cause kept for logs). */
export function writeError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return gatewayError(failureCode(err) === 'STORE_FULL' ? 'DISK_FULL' : 'STORE_WRITE_FAILED', { cause: err });
}

/** Whether opening failed because another process holds the store (LevelDB's lock). */
export function storeInUse(err: unknown): boolean {
  return causeChain(err).some((e) => e.code === 'LEVEL_LOCKED');
}
