// The one place credentials are read and compared. A client presents a secret as
// `Authorization: Bearer …`, as `X-API-Key: …`, or (Socket.IO) as `auth.token`; secrets
// are compared in constant time, over their SHA-256 so that not even the length leaks.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The secret a request or Socket.IO handshake presents, if any. */
export function credentialFrom(headers: IncomingHttpHeaders, socketAuth?: unknown): string | undefined {
  const token = (socketAuth as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string' && token) return token;
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  const key = headers['x-api-key'];
  return typeof key === 'string' && key ? key : undefined;
}

export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
