// REST endpoints cameras post to, as express routes: the contract's (/api/detection,
// /api/health, /api/cameras/register) and the deployed cameras' (/api/statistics,
// /api/data), which dispatch on the body's `type`. The plain case never gets here
// (camera-posts.ts answers it ahead of express); these serve the rest — compressed bodies,
// other charsets, other spellings of a path — the same way. Routes translate only; ingest decides.
import { Router, type Request, type Response } from 'express';
import type { Ingest } from '../../ingest/ingest.js';
import type { AddressCheck } from '../network-allowlist.js';
import type { ClientRateLimit } from '../client-rate-limit.js';
import { admitted, CAMERA_POST_PATHS, cameraContext, ingestPost, refuseForbidden } from './camera-posts.js';

export interface CameraRouteDeps {
  ingest: Ingest;
  cameraAllowed: AddressCheck;
  rateLimit: ClientRateLimit;
}

export function createCameraRoutes(deps: CameraRouteDeps): Router {
  const router = Router();
  router.use((req, res, next) => {
    if (req.method !== 'POST' || admitted(deps, cameraContext(req, undefined))) return next();
    refuseForbidden(res);
  });
  for (const [path, impliedKind] of CAMERA_POST_PATHS) {
    router.post(path, (req: Request, res: Response) => ingestPost(deps, req.body, cameraContext(req, impliedKind), res));
  }
  return router;
}
