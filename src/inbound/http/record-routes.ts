// Reading the log back over HTTP: one record by id, a page of records by seq, an image
// blob. Used by operators, tests (crash tests check every acknowledged id) and the UI.
// A record is sent as its stored line, byte for byte (`data`); what changed since (images
// evicted) is reported beside it, never inside it.
import { Router, type RequestHandler, type Response } from 'express';
import { gatewayError, toGatewayError } from '../../errors.js';
import { KINDS } from '../../kinds/index.js';
import type { RecordKind, StoredRecord } from '../../log/record.js';
import type { BlobStore } from '../../log/blob-store.js';
import type { RecordLog } from '../../log/record-log.js';
import { sendError } from './send-error.js';

export interface RecordRouteDeps {
  log: RecordLog;
  blobs: BlobStore;
  /** In front of every route here: all of them show camera data to people. */
  viewer: RequestHandler;
}

/** Kinds a page of records may be filtered by: every kind in the table. */
const QUERY_KINDS = Object.keys(KINDS) as RecordKind[];
const MAX_PAGE = 1000;
const COMMA = Buffer.from(',');

function intParam(value: unknown, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isSafeInteger(n) || n < 0 || n > max) {
    throw gatewayError('NOT_A_NUMBER', name, max);
  }
  return n;
}

const evicted = (r: StoredRecord) => r.images.some((i) => i.evicted);

function found(res: Response, record: StoredRecord | undefined, kind?: RecordKind): void {
  if (!record || (kind && record.kind !== kind)) {
    sendError(res, gatewayError('NO_RECORD'));
    return;
  }
  res.type('application/json').send(Buffer.concat([
    Buffer.from('{"success":true,"data":'), record.line, Buffer.from(`,"images_evicted":${evicted(record)}}`),
  ]));
}

export function createRecordRoutes(deps: RecordRouteDeps): Router {
  const router = Router();
  const read = (path: string, handler: RequestHandler) => router.get(path, deps.viewer, handler);

  read('/api/records', async (req, res) => {
    try {
      const after = intParam(req.query.after, 'after', 0);
      const limit = intParam(req.query.limit, 'limit', 100, MAX_PAGE);
      const kind = req.query.kind;
      if (kind !== undefined && !QUERY_KINDS.includes(kind as RecordKind)) {
        throw gatewayError('KIND_UNKNOWN', QUERY_KINDS);
      }
      const records = await deps.log.readAfter(after, limit, kind ? [kind as RecordKind] : undefined);
      const next = records.length === limit ? records[records.length - 1]!.seq : null;
      const lines = records.flatMap((r, i) => (i === 0 ? [r.line] : [COMMA, r.line]));
      const beside = { images_evicted: records.filter(evicted).map((r) => r.seq), next_after: next, last_seq: deps.log.lastSeq() };
      res.type('application/json').send(Buffer.concat([Buffer.from('{"success":true,"data":['), ...lines, Buffer.from(`],${JSON.stringify(beside).slice(1)}`)]));
    } catch (err) {
      sendError(res, toGatewayError(err));
    }
  });
  read('/api/records/:id', async (req, res) => found(res, await deps.log.getById(String(req.params.id))));
  read('/api/detections/:id', async (req, res) => found(res, await deps.log.getById(String(req.params.id)), 'detection'));
  read('/api/health/:id', async (req, res) => found(res, await deps.log.getById(String(req.params.id)), 'health'));
  read('/api/images/:sha256', async (req, res) => {
    const data = await deps.blobs.read(String(req.params.sha256));
    if (!data) return sendError(res, gatewayError('NO_IMAGE'));
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type(data[0] === 0xff && data[1] === 0xd8 ? 'image/jpeg' : 'application/octet-stream').send(data);
  });
  return router;
}
