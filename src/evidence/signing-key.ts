// The gateway's Ed25519 signing key for checkpoints, created on first start in the data
// dir (store.evidenceKeyPath): private key mode 600, never logged, never exported. Node's
// own crypto does Ed25519.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  /** The raw 32-byte public key, base64. */
  publicKey: string;
  /** SHA-256 of the raw public key, hex. */
  fingerprint: string;
  /** The public key as PEM (SPKI), for `lpr-gateway key show`. */
  publicPem: string;
}

export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' }) as { x?: string };
  if (!jwk.x) throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function fingerprintOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** Loads the key at `path`, creating it (and its folder, mode 700) the first time. */
export function loadOrCreateSigningKey(path: string): SigningKey {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  const privateKey = createPrivateKey(readFileSync(path));
  const pub = createPublicKey(privateKey);
  const raw = rawPublicKey(pub);
  return { privateKey, publicKey: raw.toString('base64'), fingerprint: fingerprintOf(raw), publicPem: pub.export({ format: 'pem', type: 'spki' }).toString() };
}
