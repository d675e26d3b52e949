// REST endpoints cameras post to: the contract's (/api/detection, /api/health,
// /api/cameras/register) and the deployed cameras' (/api/statistics, /api/data), which
// dispatch on the body's `type`. Routes translate only; ingest decides.
import { Router, type Request, type Response } from 'express';
import { GatewayError, toGatewayError } from '../../errors.js';
import type { Ingest } from '../../ingest/ingest.js';
import type { MessageKind } from '../../ingest/parse-message.js';
import type { AddressCheck } from '../network-allowlist.js';
import type { ClientRateLimit } from '../client-rate-limit.js';
import { credentialFrom } from '../credentials.js';
import { successBody } from '../reply-bodies.js';
import { KINDS, type KindSpec } from '../../kinds/index.js';
import type { RecordKind } from '../../log/record.js';
import { sendError } from './send-error.js';

export interface CameraRouteDeps {
  ingest: Ingest;
  cameraAllowed: AddressCheck;
  rateLimit: ClientRateLimit;
}

export function createCameraRoutes(deps: CameraRouteDeps): Router {
  const router = Router();
  router.use((req, res, next) => {
    if (req.method !== 'POST' || deps.cameraAllowed(req.socket.remoteAddress)) return next();
    const forbidden = new GatewayError('FORBIDDEN', 'this address may not send camera data (camera.networks)');
    deps.ingest.refused(forbidden, { source: 'rest', remote: req.socket.remoteAddress });
    sendError(res, forbidden);
  });

  const post = (path: string, impliedKind?: MessageKind) =>
    router.post(path, async (req: Request, res: Response) => {
      const ctx = { source: 'rest' as const, impliedKind, remote: req.socket.remoteAddress, credential: credentialFrom(req.headers) };
      try {
        try {
          deps.rateLimit.take(ctx.remote);
        } catch (err) {
          deps.ingest.refused(toGatewayError(err), ctx);
          throw err;
        }
        const result = await deps.ingest.accept(req.body, ctx);
        res.status(200).json(successBody(result));
      } catch (err) {
        sendError(res, toGatewayError(err));
      }
    });

  for (const [kind, spec] of Object.entries(KINDS) as [RecordKind, KindSpec][]) if (spec.restPath) post(spec.restPath, kind);
  // The deployed cameras' one endpoint for everything, told apart by `type`.
  post('/api/statistics');
  post('/api/data');
  return router;
}
