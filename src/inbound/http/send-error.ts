// GatewayError → HTTP response: status, Retry-After when set, the contract's JSON body.
import type { Request, Response } from 'express';
import { errorBody, toGatewayError, type GatewayError } from '../../errors.js';

export function sendError(res: Response, err: GatewayError): void {
  if (res.headersSent) return;
  if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
  res.status(err.status).json(errorBody(err));
}

/**
 * An async route whose errors become the contract's JSON body here. The app's own error
 * handler counts failed POSTs as camera refusals, which admin and viewer routes are not.
 */
export function answerErrors(fn: (req: Request, res: Response) => Promise<void> | void) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await fn(req, res);
    } catch (err) {
      sendError(res, toGatewayError(err));
    }
  };
}
