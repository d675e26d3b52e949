// Admin endpoints (export now; replay and delete later): only with the admin token
// (config admin.token / LPRGW_ADMIN_TOKEN). With no token configured they do not exist.
import { timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { GatewayError } from '../../errors.js';
import { exportRecords } from '../../log/export-records.js';
import type { RecordLog } from '../../log/record-log.js';
import { sendError } from './send-error.js';

export interface AdminRouteDeps {
  log: RecordLog;
  token: string;
}

function presented(req: Request): string {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ')) return auth.slice(7);
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key : '';
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createAdminRoutes(deps: AdminRouteDeps): Router {
  const router = Router();
  router.use('/api/admin', (req: Request, res: Response, next: NextFunction) => {
    if (!deps.token) return sendError(res, new GatewayError('NOT_FOUND', 'admin endpoints are off (no admin token configured)'));
    const given = presented(req);
    if (!given) return sendError(res, new GatewayError('UNAUTHORIZED', 'admin token required (Authorization: Bearer ...)'));
    if (!tokenMatches(given, deps.token)) return sendError(res, new GatewayError('FORBIDDEN', 'wrong admin token'));
    next();
  });
  router.get('/api/admin/export', async (req, res) => {
    const since = typeof req.query.since === 'string' ? req.query.since : undefined;
    if (since !== undefined && Number.isNaN(Date.parse(since))) {
      return sendError(res, new GatewayError('VALIDATION_FAILED', 'since must be an ISO 8601 time'));
    }
    const camera = typeof req.query.camera === 'string' ? req.query.camera : undefined;
    res.type('application/x-ndjson');
    for await (const r of exportRecords(deps.log, { since, cameraId: camera, withImages: req.query.images !== 'omit' })) {
      if (!res.write(`${JSON.stringify(r)}\n`)) await new Promise((ok) => res.once('drain', ok));
    }
    res.end();
  });
  return router;
}
