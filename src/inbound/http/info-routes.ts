// Read-only endpoints cameras and operators call: GET /api/test and GET /api/statistics.
// Deployed cameras probe GET /api/statistics once at start and go silent unless it is 200,
// so it is answered from in-memory totals only: no store read, no await.
import { Router } from 'express';
import type { RecordLog } from '../../log/record-log.js';

export interface InfoRouteDeps {
  log: RecordLog;
  /** Extra sections for /api/statistics (backlog, uplink, ...), computed from memory. */
  extraStatistics?: () => Record<string, unknown>;
}

export function createInfoRoutes(deps: InfoRouteDeps): Router {
  const router = Router();
  router.get('/api/test', (_req, res) => {
    res.json({ success: true, message: 'Server is running', timestamp: new Date().toISOString() });
  });
  router.get('/api/statistics', (_req, res) => {
    const s = deps.log.stats();
    res.json({
      success: true,
      data: {
        total_detections: s.detections,
        total_cameras: s.cameras.length,
        last_update: s.lastUpdate ?? new Date().toISOString(),
        total_health: s.health,
        total_registrations: s.registrations,
        total_records: s.records,
        last_seq: s.lastSeq,
        store: { records: s.liveRecords, bytes: s.liveBytes, evictions: s.evictions },
        cameras: s.cameras,
        ...deps.extraStatistics?.(),
      },
    });
  });
  return router;
}
