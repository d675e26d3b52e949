// Admin endpoints: export, parked records (list, replay). Only with the admin token
// (config admin.token / LPRGW_ADMIN_TOKEN). With no token configured they do not exist.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { gatewayError } from '../../errors.js';
import { exportRecords } from '../../evidence/export-records.js';
import type { RecordLog } from '../../log/record-log.js';
import { adminRefusal } from '../../auth/admin-token.js';
import { sendError } from './send-error.js';

export interface AdminRouteDeps {
  log: RecordLog;
  /** The parked list (outbound's), as the operator sees it. */
  parked: () => readonly { seq: number }[];
  token: string;
  /** Signs a checkpoint of the head (so an export is pinned to its end). */
  checkpoint?: (() => Promise<unknown>) | undefined;
  /** Sends a parked record again (the uplink); absent when there is no uplink. */
  replay?: ((seq: number) => Promise<void>) | undefined;
}

/** In front of every admin route: the admin token, or 401/403; no token configured → 404. */
export function requireAdmin(token: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refusal = adminRefusal(token, req.headers);
    if (refusal) return sendError(res, refusal);
    next();
  };
}

export function createAdminRoutes(deps: AdminRouteDeps): Router {
  const router = Router();
  router.use('/api/admin', requireAdmin(deps.token));
  router.get('/api/admin/export', async (req, res) => {
    const since = typeof req.query.since === 'string' ? req.query.since : undefined;
    if (since !== undefined && Number.isNaN(Date.parse(since))) {
      return sendError(res, gatewayError('NOT_A_TIME', 'since'));
    }
    const camera = typeof req.query.camera === 'string' ? req.query.camera : undefined;
    res.type('application/x-ndjson');
    for await (const { text } of exportRecords(deps.log, { since, cameraId: camera }, { checkpoint: deps.checkpoint })) {
      res.write(text);
      if (!res.write('\n')) await new Promise((ok) => res.once('drain', ok));
    }
    res.end();
  });
  router.get('/api/admin/parked', async (_req, res) => {
    res.json({ success: true, data: deps.parked() });
  });
  router.post('/api/admin/parked/:seq/replay', async (req, res) => {
    const seq = Number(req.params.seq);
    if (!Number.isSafeInteger(seq) || seq <= 0) return sendError(res, gatewayError('NOT_A_SEQ'));
    if (!deps.parked().some((p) => p.seq === seq)) return sendError(res, gatewayError('NOT_PARKED', seq));
    if (!deps.replay) return sendError(res, gatewayError('NO_UPSTREAM'));
    try {
      await deps.replay(seq);
      res.json({ success: true, message: `record ${seq} delivered and unparked` });
    } catch (err) {
      sendError(res, gatewayError('REPLAY_FAILED', (err as Error).message));
    }
  });
  return router;
}
