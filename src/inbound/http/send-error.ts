// GatewayError → HTTP response: status, Retry-After when set, the contract's JSON body.
import type { Response } from 'express';
import { errorBody, type GatewayError } from '../../errors.js';

export function sendError(res: Response, err: GatewayError): void {
  if (res.headersSent) return;
  if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
  res.status(err.status).json(errorBody(err));
}
