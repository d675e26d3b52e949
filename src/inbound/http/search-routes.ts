// Plate search, the events list and the alert board, for the people at the checkpoint (the
// same viewer login as the record read-back API). All answered from the gateway alone.
import { Router, type Request, type RequestHandler } from 'express';
import { parseCameraTime } from '../../ingest/parse-timestamp.js';
import { type GatewayError, gatewayError } from '../../errors.js';
import type { AlertWatch } from '../../hotlist/alert-watch.js';
import type { DetectionData } from '../../log/record.js';
import type { RecordLog } from '../../log/record-log.js';
import type { PlateIndex } from '../../search/plate-index.js';
import { recentDetections, searchPlates, type SearchHit, type SearchQuery } from '../../search/plate-search.js';
import { answerErrors } from './send-error.js';

export interface SearchRouteDeps {
  log: RecordLog;
  index: PlateIndex;
  alerts: AlertWatch;
  viewer: RequestHandler;
  /** Zone of times given without one (the cameras' zone). */
  timeZone: string;
}

const MAX_LIMIT = 500;

function bad(name: string, message: string): GatewayError {
  return gatewayError('FIELD_INVALID', name, message);
}

function query(req: Request, timeZone: string): SearchQuery {
  const q = req.query;
  const text = (name: string) => {
    const v = q[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw bad(name, 'give it once');
    return v;
  };
  const time = (name: string) => {
    const v = text(name);
    if (v === undefined) return undefined;
    // A "+" in a query string arrives as a space: "…08:00:00 07:00" means +07:00.
    const ms = parseCameraTime(v.replace(/ (\d{2}:?\d{2})$/, '+$1'), timeZone);
    if (ms === undefined) throw bad(name, 'expected an ISO 8601 time, e.g. 2026-11-29T08:00:00+07:00');
    return ms;
  };
  const whole = (name: string, fallback: number | undefined, max: number) => {
    const v = text(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 1 || n > max) throw bad(name, `expected a whole number from 1 to ${max}`);
    return n;
  };
  const fuzzy = text('fuzzy');
  if (fuzzy !== undefined && !['0', '1', 'true', 'false'].includes(fuzzy)) throw bad('fuzzy', 'expected 1 or 0');
  const r: SearchQuery = {
    plate: text('plate'), camera: text('camera'), from: time('from'), to: time('to'),
    limit: whole('limit', 50, MAX_LIMIT)!, fuzzy: fuzzy === '1' || fuzzy === 'true', before: whole('before', undefined, Number.MAX_SAFE_INTEGER),
  };
  if (r.from !== undefined && r.to !== undefined && r.from > r.to) throw bad('from', 'is after to');
  return r;
}

/** One result: the detection's facts and where its images are. */
function hitBody(h: SearchHit) {
  const r = h.record;
  const d = r.data as unknown as DetectionData;
  return {
    seq: r.seq, detection_id: r.id, camera_id: r.camera_id, checkpoint_id: r.checkpoint_id,
    time: r.time, timestamp: r.timestamp, received_at: r.received_at,
    plate: h.plate ?? d.plates[0] ?? null, plate_key: h.plate_key, match: h.plate_key === null ? null : h.exact ? 'exact' : 'fuzzy',
    plates: d.plates,
    images: r.images.map((i) => ({ name: i.name, bytes: i.bytes, evicted: i.evicted ?? false, url: `/api/images/${i.sha256}` })),
  };
}


export function createSearchRoutes(deps: SearchRouteDeps): Router {
  const router = Router();

  router.get('/api/search', deps.viewer, answerErrors(async (req, res) => {
    const q = query(req, deps.timeZone);
    if (q.plate === undefined) throw bad('plate', 'required (the events list is /api/events)');
    const { key, hits } = await searchPlates(deps.log, deps.index, { ...q, plate: q.plate });
    if (key.length === 0) throw bad('plate', 'has no letters or digits');
    res.json({
      success: true, query: { plate: q.plate, plate_key: key, fuzzy: q.fuzzy, camera: q.camera ?? null },
      count: hits.length, data: hits.map(hitBody),
      // Records stored after this are not searchable yet (the index follows the log).
      index: { position: deps.index.follower.position(), lag: deps.index.follower.lag(), rebuilding: deps.index.rebuildingNow() },
    });
  }));

  router.get('/api/events', deps.viewer, answerErrors(async (req, res) => {
    const q = query(req, deps.timeZone);
    if (q.plate !== undefined) {
      const { hits } = await searchPlates(deps.log, deps.index, { ...q, plate: q.plate });
      res.json({ success: true, count: hits.length, data: hits.map(hitBody), next_before: null });
      return;
    }
    const { hits, next_before } = await recentDetections(deps.log, q);
    res.json({ success: true, count: hits.length, data: hits.map(hitBody), next_before });
  }));

  router.get('/api/alerts', deps.viewer, (_req, res) => {
    res.json({ success: true, open: deps.alerts.open().length, data: deps.alerts.alerts() });
  });
  router.post('/api/alerts/:id/ack', deps.viewer, answerErrors(async (req, res) => {
    const by = typeof (req.body as { by?: unknown })?.by === 'string' ? String((req.body as { by: string }).by).slice(0, 100) : 'viewer';
    const a = await deps.alerts.acknowledge(String(req.params.id), by);
    if (!a) throw gatewayError('NO_ALERT');
    res.json({ success: true, message: 'alert acknowledged', data: a });
  }));
  return router;
}
