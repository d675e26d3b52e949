// `lpr-gateway hotlist add|rm|ls|import` and `lpr-gateway reindex`, against a running
// gateway with the admin token (like export and parked).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminCall, refusal, type AdminFlags } from './admin-client.js';

export interface EntryFlags extends AdminFlags {
  reason: string;
  level?: string;
  expires?: string;
  fuzzy?: boolean;
  note?: string;
}

const entryPath = (plate: string) => `/api/admin/hotlist/${encodeURIComponent(plate)}`;

export async function hotlistAdd(plate: string, f: EntryFlags): Promise<number> {
  const body = { reason: f.reason, level: f.level, expires_at: f.expires, fuzzy: f.fuzzy ?? false, note: f.note };
  const r = await adminCall(f, 'PUT', entryPath(plate), { type: 'application/json', text: JSON.stringify(body) });
  if (!r.ok) return refusal(r);
  process.stdout.write(`${r.body.message}: ${r.body.data.plate} (${r.body.data.key}) ${r.body.data.level} — ${r.body.data.reason}\n`);
  return 0;
}

export async function hotlistRemove(plate: string, f: AdminFlags): Promise<number> {
  const r = await adminCall(f, 'DELETE', entryPath(plate));
  if (!r.ok) return refusal(r);
  process.stdout.write(`${r.body.message}: ${plate}\n`);
  return 0;
}

export async function hotlistList(f: AdminFlags & { json?: boolean }): Promise<number> {
  const r = await adminCall(f, 'GET', '/api/admin/hotlist');
  if (!r.ok) return refusal(r);
  const rows = r.body.data as { plate: string; key: string; level: string; reason: string; source: string; fuzzy: boolean; expires_at: string | null; expired: boolean }[];
  if (f.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) process.stdout.write('the hotlist is empty\n');
  else {
    for (const e of rows) {
      const flags = [e.fuzzy ? 'fuzzy' : '', e.expired ? 'EXPIRED' : e.expires_at ? `until ${e.expires_at}` : ''].filter(Boolean).join(' ');
      process.stdout.write(`${e.plate}\t${e.key}\t${e.level}\t${e.source}\t${e.reason}${flags ? `\t${flags}` : ''}\n`);
    }
  }
  return 0;
}

export async function hotlistImport(file: string, f: AdminFlags): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`lpr-gateway: cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  const r = await adminCall(f, 'POST', '/api/admin/hotlist/import', { type: 'text/csv', text });
  if (!r.ok) return refusal(r);
  process.stdout.write(`${r.body.imported} entries imported (${r.body.created} new, ${r.body.updated} updated)\n`);
  return 0;
}

/** Rebuilds the plate search index from the log and waits until it has caught up. */
export async function reindex(f: AdminFlags): Promise<number> {
  const started = await adminCall(f, 'POST', '/api/admin/reindex');
  if (!started.ok) return refusal(started);
  process.stderr.write('rebuilding the plate index…\n');
  for (;;) {
    await sleep(250);
    const r = await adminCall(f, 'GET', '/api/admin/reindex');
    if (!r.ok) return refusal(r);
    if (!r.body.rebuilding) {
      process.stdout.write(`plate index rebuilt: ${r.body.position} records indexed, ${r.body.lag} behind\n`);
      return 0;
    }
  }
}
