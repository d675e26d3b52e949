// Password hashes for the people and programs that log in (viewer, broker users):
// "scrypt$<salt b64>$<hash b64>", made by `lpr-gateway hash-password`. Checking runs scrypt
// in libuv's thread pool, never on the event loop: a synchronous check held every camera's
// ack for 43 ms per request (README.md, "Operating it": logins).
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `password` matches the stored hash (a malformed hash matches nothing). */
export function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return Promise.resolve(false);
  const expected = Buffer.from(hash, 'base64');
  return new Promise((resolve) => {
    scrypt(password, Buffer.from(salt, 'base64'), expected.length, (err, actual) => {
      resolve(!err && actual.length === expected.length && timingSafeEqual(actual, expected));
    });
  });
}
