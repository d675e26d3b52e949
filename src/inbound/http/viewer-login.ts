// Optional login for what shows data to people (status page, read-back API, metrics):
// HTTP Basic against a scrypt hash. Browsers resend it to the same origin, which also
// covers the status page's Socket.IO namespace. The routes that show data put
// requireViewer in front of themselves (record-routes registers every route it has that
// way), so what is protected is decided where a route is written, not in a list here.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GatewayError } from '../../errors.js';
import { verifyPassword } from '../../outbound/broker-access.js';
import { sendError } from './send-error.js';

export interface ViewerLogin {
  user: string;
  passwordHash: string;
}

/** Whether an Authorization header carries the viewer's credentials. */
export function viewerAuthorized(login: ViewerLogin, header: string | undefined): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return decoded.slice(0, colon) === login.user && verifyPassword(decoded.slice(colon + 1), login.passwordHash);
}

/** Middleware for a route that shows data: passes when no login is configured or the viewer's credentials are sent. */
export function requireViewer(login: ViewerLogin | undefined): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!login) return next();
    if (viewerAuthorized(login, req.headers.authorization)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="lpr-gateway", charset="UTF-8"');
    sendError(res, new GatewayError('UNAUTHORIZED', 'login required'));
  };
}
