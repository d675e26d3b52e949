// Signed checkpoints (docs/EVIDENCE.md): the gateway states, with its Ed25519 key, that its
// log reached `seq` with head `hash` at `time`. The signature covers the canonical JSON of
// exactly {gateway_id, seq, hash, time}.
import { createPublicKey, sign, verify } from 'node:crypto';
import { canonicalJson } from '../log/canonical-json.js';
import type { Checkpoint } from '../log/record-log.js';
import { fingerprintOf, type SigningKey } from './signing-key.js';

type Statement = Pick<Checkpoint, 'gateway_id' | 'seq' | 'hash' | 'time'>;

const signed = (s: Statement): Buffer => Buffer.from(canonicalJson({ gateway_id: s.gateway_id, seq: s.seq, hash: s.hash, time: s.time }));

export function signCheckpoint(key: SigningKey, s: Statement): Checkpoint {
  return { ...s, signature: sign(null, signed(s), key.privateKey).toString('base64'), public_key: key.publicKey, key_fingerprint: key.fingerprint };
}

/** An Ed25519 public key from raw base64, or PEM (SPKI). */
export function publicKeyFrom(text: string) {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) return createPublicKey(t);
  const raw = Buffer.from(t, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes (base64) or PEM');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** True when `cp` is signed by `trusted` (raw base64 or PEM). */
export function checkpointSignedBy(cp: Checkpoint, trusted: string): boolean {
  try {
    return verify(null, signed(cp), publicKeyFrom(trusted), Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

export { fingerprintOf };
