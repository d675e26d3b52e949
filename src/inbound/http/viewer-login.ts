// The viewer login over HTTP: the middleware a route that shows data to people puts in
// front of itself (record-routes registers every route it has that way), so what is
// protected is decided where a route is written, not in a list here; and the 401 challenge
// that makes a browser ask. Browsers resend the login to the same origin, which also
// covers the status page's Socket.IO namespace. Who may see is auth/viewer-check.ts.
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ViewerCheck } from '../../auth/viewer-check.js';
import { gatewayError } from '../../errors.js';
import { sendError } from './send-error.js';

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
