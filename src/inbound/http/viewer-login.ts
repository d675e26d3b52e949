// Optional login for what shows data to people (status page, read-back API, metrics):
// HTTP Basic against a scrypt hash. Browsers resend it to the same origin, which also
// covers the status page's Socket.IO namespace. The routes that show data put
// requireViewer in front of themselves (record-routes registers every route it has that
// way), so what is protected is decided where a route is written, not in a list here.
// A credential is checked with scrypt once and then trusted for a while (auth/login-checks.ts):
// the Events view asks for 50 thumbnails at once, and each check held every ack 43 ms.
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LoginChecks } from '../../auth/login-checks.js';
import { sameSecret } from '../../auth/credentials.js';
import { verifyPassword } from '../../auth/password.js';
import { gatewayError } from '../../errors.js';
import { sendError } from './send-error.js';

export interface ViewerLogin {
  user: string;
  passwordHash: string;
}

/** Whether an Authorization header may see data (always, when no login is configured). */
export type ViewerCheck = (authorization: string | undefined) => Promise<boolean>;

export function createViewerCheck(login: ViewerLogin | undefined): ViewerCheck {
  if (!login) return () => Promise.resolve(true);
  const checks = new LoginChecks(async (header) => {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const userOk = sameSecret(decoded.slice(0, colon), login.user);
    // The password is checked whatever the user, so a wrong user takes as long as a wrong password.
    const passwordOk = await verifyPassword(decoded.slice(colon + 1), login.passwordHash);
    return userOk && passwordOk;
  });
  return (header) => (header?.startsWith('Basic ') ? checks.check(header) : Promise.resolve(false));
}

/** Middleware for a route that shows data: passes when the viewer check does. */
export function requireViewer(check: ViewerCheck): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    check(req.headers.authorization).then((ok) => (ok ? next() : askForLogin(res)), next);
  };
}

/** 401 with the challenge that makes a browser ask for the viewer's login. */
export function askForLogin(res: ServerResponse): void {
  res.setHeader('WWW-Authenticate', 'Basic realm="lpr-gateway", charset="UTF-8"');
  sendError(res, gatewayError('LOGIN_REQUIRED'));
}
