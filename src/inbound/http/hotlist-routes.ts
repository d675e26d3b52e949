// Admin endpoints of the hotlist and the search index (admin token): entries one by one,
// a bulk CSV (or JSON list) import, and the index rebuild.
import express, { Router, type Request } from 'express';
import { gatewayError } from '../../errors.js';
import { entryFields, plateKey, type EntryFields } from '../../hotlist/hotlist-entry.js';
import type { Hotlist } from '../../hotlist/hotlist.js';
import type { PlateIndex } from '../../search/plate-index.js';
import { requireAdmin } from './admin-routes.js';
import { answerErrors } from './send-error.js';

export interface HotlistRouteDeps {
  hotlist: Hotlist;
  index: PlateIndex;
  token: string;
  /** Largest import body (bytes). */
  maxImportBytes: number;
}


/** Rows of an import: CSV with a header (plate,reason,level,expires_at,fuzzy,note) or a JSON list. */
async function importRows(req: Request): Promise<{ plate: string; fields: EntryFields }[]> {
  let rows: unknown[];
  if (typeof req.body === 'string') {
    // Loaded when an import comes, not at start: the running gateway rarely needs it.
    const { parse: parseCsv } = await import('csv-parse/sync');
    try {
      rows = parseCsv(req.body, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true });
    } catch (err) {
      throw gatewayError('HOTLIST_IMPORT_CSV', (err as Error).message);
    }
  } else if (Array.isArray(req.body)) rows = req.body;
  else throw gatewayError('HOTLIST_IMPORT_SHAPE');
  if (rows.length === 0) throw gatewayError('HOTLIST_IMPORT_EMPTY');
  const problems: { path: string; message: string }[] = [];
  const out = rows.flatMap((row, i) => {
    const line = typeof req.body === 'string' ? `row ${i + 2}` : `[${i}]`; // CSV rows count the header as row 1
    try {
      const plate = (row as { plate?: unknown })?.plate;
      if (typeof plate !== 'string' || plate.trim() === '') throw gatewayError('FIELD_INVALID', 'plate', 'must not be empty');
      plateKey(plate);
      return [{ plate, fields: entryFields(row) }];
    } catch (err) {
      problems.push({ path: line, message: (err as Error).message });
      return [];
    }
  });
  // All or nothing: a list with a bad row is refused whole, so nobody wonders which half went in.
  if (problems.length) {
    throw gatewayError('HOTLIST_IMPORT_INVALID', problems.length, rows.length, problems[0]!, { fields: problems.slice(0, 100) });
  }
  return out;
}

export function createHotlistRoutes(deps: HotlistRouteDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.token);
  const csv = express.text({ type: 'text/csv', limit: deps.maxImportBytes });
  const plateOf = (req: Request) => String(req.params.plate); // express has decoded it

  router.get('/api/admin/hotlist', admin, answerErrors(async (_req, res) => {
    const entries = await deps.hotlist.list();
    res.json({ success: true, count: entries.length, data: entries });
  }));
  router.post('/api/admin/hotlist/import', admin, csv, answerErrors(async (req, res) => {
    const { imported, created } = await deps.hotlist.importMany('local', await importRows(req));
    res.json({ success: true, message: `${imported} entries imported`, imported, created, updated: imported - created });
  }));
  router.get('/api/admin/hotlist/:plate', admin, answerErrors(async (req, res) => {
    const entry = await deps.hotlist.get('local', plateOf(req));
    if (!entry) throw gatewayError('NO_HOTLIST_ENTRY');
    res.json({ success: true, data: entry });
  }));
  router.put('/api/admin/hotlist/:plate', admin, answerErrors(async (req, res) => {
    const { entry, created } = await deps.hotlist.put('local', plateOf(req), entryFields(req.body));
    res.status(created ? 201 : 200).json({ success: true, message: created ? 'hotlist entry added' : 'hotlist entry updated', data: entry });
  }));
  router.delete('/api/admin/hotlist/:plate', admin, answerErrors(async (req, res) => {
    if (!(await deps.hotlist.remove('local', plateOf(req)))) throw gatewayError('NO_HOTLIST_ENTRY');
    res.json({ success: true, message: 'hotlist entry removed' });
  }));

  router.post('/api/admin/reindex', admin, answerErrors((_req, res) => {
    const target = deps.index.follower.position();
    void deps.index.reindex().catch(() => undefined);
    res.status(202).json({ success: true, message: 'rebuilding the plate index from the log', previous_position: target, ...reindexState(deps.index) });
  }));
  router.get('/api/admin/reindex', admin, (_req, res) => {
    res.json({ success: true, ...reindexState(deps.index) });
  });
  return router;
}

function reindexState(index: PlateIndex) {
  return { rebuilding: index.rebuildingNow(), position: index.follower.position(), lag: index.follower.lag() };
}
