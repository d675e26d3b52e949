// Signed checkpoints (docs/EVIDENCE.md §4): the gateway states, with its Ed25519 key, that
// its log reached `seq` with head `hash` at `time`. The statement is carried as the exact
// text that was signed (`signed`), so a verifier checks the signature over bytes it has
// and reads the claims from that text — nothing is re-serialised.
import { createPublicKey, sign, verify } from 'node:crypto';
import { fingerprintOf, type SigningKey } from './signing-key.js';

/** A signed statement "gateway G's log reached seq S with hash H at time T" (docs/EVIDENCE.md). */
export interface Checkpoint {
  gateway_id: string;
  seq: number;
  hash: string;
  time: string;
  /** The statement exactly as signed: JSON text of {gateway_id, seq, hash, time}, in that order. */
  signed: string;
  /** Ed25519 signature (base64) over the UTF-8 bytes of `signed`. */
  signature: string;
  /** The raw 32-byte Ed25519 public key, base64, and its SHA-256 (hex). */
  public_key: string;
  key_fingerprint: string;
}

type Statement = Pick<Checkpoint, 'gateway_id' | 'seq' | 'hash' | 'time'>;

export function signCheckpoint(key: SigningKey, s: Statement): Checkpoint {
  const signed = JSON.stringify({ gateway_id: s.gateway_id, seq: s.seq, hash: s.hash, time: s.time });
  return {
    gateway_id: s.gateway_id, seq: s.seq, hash: s.hash, time: s.time, signed,
    signature: sign(null, Buffer.from(signed), key.privateKey).toString('base64'), public_key: key.publicKey, key_fingerprint: key.fingerprint,
  };
}

/**
 * An Ed25519 public key from raw base64, PEM (SPKI), or the whole output of
 * `lpr-gateway key show` (its "raw, base64" line, or its PEM block).
 */
export function publicKeyFrom(text: string) {
  const t = text.trim();
  const pem = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(t);
  if (pem) return createPublicKey(pem[0]);
  const shown = /base64\):\s*([A-Za-z0-9+/=]+)/.exec(t);
  const raw = Buffer.from(shown ? shown[1]! : t, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes (base64), PEM, or the output of lpr-gateway key show');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** The statement of a checkpoint when `signature` over `signed` verifies with `trusted`; else undefined. */
export function signedStatement(cp: { signed?: unknown; signature?: unknown }, trusted: string): Statement | undefined {
  if (typeof cp.signed !== 'string' || typeof cp.signature !== 'string') return undefined;
  try {
    if (!verify(null, Buffer.from(cp.signed), publicKeyFrom(trusted), Buffer.from(cp.signature, 'base64'))) return undefined;
    const s = JSON.parse(cp.signed) as Record<string, unknown>;
    if (typeof s.gateway_id !== 'string' || !Number.isSafeInteger(s.seq) || typeof s.hash !== 'string' || typeof s.time !== 'string') return undefined;
    return { gateway_id: s.gateway_id, seq: s.seq as number, hash: s.hash, time: s.time };
  } catch {
    return undefined;
  }
}

export { fingerprintOf };
