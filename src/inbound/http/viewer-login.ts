// Optional login for what shows data to people (status page, read-back API, metrics):
// HTTP Basic against a scrypt hash. Browsers resend it to the same origin, which also
// covers the status page's Socket.IO namespace.
import type { NextFunction, Request, Response } from 'express';
import { GatewayError } from '../../errors.js';
import { verifyPassword } from '../../outbound/broker-access.js';
import { sendError } from './send-error.js';

export interface ViewerLogin {
  user: string;
  passwordHash: string;
}

/** Paths a viewer login protects (camera endpoints and health checks stay open). */
const PROTECTED = [/^\/$/, /^\/api\/records/, /^\/api\/detections\//, /^\/api\/health\//, /^\/api\/images\//, /^\/metrics$/];

export function isProtectedPath(path: string): boolean {
  return PROTECTED.some((p) => p.test(path));
}

/** Whether an Authorization header carries the viewer's credentials. */
export function viewerAuthorized(login: ViewerLogin, header: string | undefined): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return decoded.slice(0, colon) === login.user && verifyPassword(decoded.slice(colon + 1), login.passwordHash);
}

export function viewerLoginMiddleware(login: ViewerLogin | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!login || req.method !== 'GET' || !isProtectedPath(req.path)) return next();
    if (viewerAuthorized(login, req.headers.authorization)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="lpr-gateway", charset="UTF-8"');
    sendError(res, new GatewayError('UNAUTHORIZED', 'login required'));
  };
}
