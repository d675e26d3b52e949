// The express app on the camera port: JSON body parsing with the configured size limit,
// the camera, info and record routes, and one error handler that turns everything into
// the contract's JSON error body.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { GatewayError, gatewayError } from '../../errors.js';
import { sendError } from './send-error.js';

export interface HttpAppDeps {
  maxMessageBytes: number;
  logger: Logger;
  routers: Router[];
  /** Counts and logs camera messages refused before ingest (body too large, bad JSON). */
  refused: (error: GatewayError, remote: string | undefined) => void;
}

/** body-parser's error types → our codes. */
function bodyError(err: { type?: string; message?: string }, limit: number): GatewayError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return gatewayError('BODY_NOT_JSON', err.message ?? '');
    case 'entity.too.large':
      return gatewayError('BODY_TOO_LARGE', limit);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return gatewayError('BODY_ENCODING', err.message ?? '');
    case 'request.aborted':
    case 'request.size.invalid':
      return gatewayError('BODY_INCOMPLETE', err.message ?? '');
    default:
      return undefined;
  }
}

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Cameras do not always send Content-Type: every POST body is read as JSON, except CSV
  // (the hotlist import reads that itself).
  app.use(express.json({ limit: deps.maxMessageBytes, type: (req) => !/^text\/csv\b/i.test(req.headers['content-type'] ?? ''), strict: false }));
  for (const router of deps.routers) app.use(router);

  app.use((req: Request, res: Response) => {
    sendError(res, gatewayError('NO_ROUTE', req.method, req.path));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = err instanceof GatewayError ? err : bodyError(err as { type?: string }, deps.maxMessageBytes);
    const error = known ?? gatewayError('INTERNAL', { cause: err });
    if (known && req.method === 'POST') deps.refused(error, req.socket.remoteAddress);
    else if (error.status >= 500) deps.logger.error({ code: error.code, method: req.method, path: req.path, err }, error.message);
    else deps.logger.warn({ code: error.code, method: req.method, path: req.path }, `request rejected: ${error.message}`);
    sendError(res, error);
  });
  return app;
}
