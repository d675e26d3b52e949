// The gateway's Ed25519 signing key for checkpoints, created on first start in the data
// dir (store.evidenceKeyPath): private key mode 600, never logged, never exported. Node's
// own crypto does Ed25519.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
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

/**
 * Loads the key at `path`, creating it (and its folder, mode 700) the first time. Created
 * whole or not at all (a temporary file, synced, then renamed): a full disk or a crash
 * while writing leaves no half key behind. An empty file (left by a version that wrote in
 * place) counts as none; any other unreadable key is an error, never replaced, since
 * checkpoints signed with it would no longer verify against its successor.
 */
export function loadOrCreateSigningKey(path: string): SigningKey {
  if (!existsSync(path) || statSync(path).size === 0) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, String(privateKey.export({ format: 'pem', type: 'pkcs8' })));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }
  chmodSync(path, 0o600);
  const privateKey = createPrivateKey(readFileSync(path));
  const pub = createPublicKey(privateKey);
  const raw = rawPublicKey(pub);
  return { privateKey, publicKey: raw.toString('base64'), fingerprint: fingerprintOf(raw), publicPem: pub.export({ format: 'pem', type: 'spki' }).toString() };
}
