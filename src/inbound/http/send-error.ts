// GatewayError → HTTP response: status, Retry-After when set, the contract's JSON body.
// Written with node:http's own calls, so the camera POSTs served ahead of express
// (camera-posts.ts) answer byte for byte as express's routes do.
import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { type GatewayError, toGatewayError, errorBody } from '../../errors.js';

/** A JSON answer, with the headers express's res.json() would set. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: ServerResponse, err: GatewayError): void {
  if (res.headersSent) return;
  if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
  sendJson(res, err.status, errorBody(err));
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
