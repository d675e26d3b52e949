// `lpr-gateway parked list|replay`: records the uplink set aside because it could not
// deliver them as they are (too large, refused by the broker), against a running gateway
// with the admin token — the operator's way to see them and send them again once the
// cause is fixed (e.g. the broker's size limit raised).
import type { ParkedRecord } from '../outbound/parked-records.js';
import { adminCall } from './admin-client.js';

export interface ParkedFlags {
  url: string;
  token?: string;
  json?: boolean;
}

const call = (f: ParkedFlags, method: string, path: string) => adminCall(f, method, path);

export async function parkedList(f: ParkedFlags): Promise<number> {
  const r = await call(f, 'GET', '/api/admin/parked');
  if (!r.ok) {
    process.stderr.write(`lpr-gateway: ${r.body.message ?? `HTTP ${r.status}`}\n`);
    return 1;
  }
  const rows = r.body.data as ParkedRecord[];
  if (f.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) process.stdout.write('no parked records\n');
  else for (const p of rows) process.stdout.write(`${p.seq}\t${p.consumer}\t${p.reason}\t${p.at}\t${p.id}\t${p.detail}\n`);
  return 0;
}

export async function parkedReplay(f: ParkedFlags, seqs: string[], all: boolean): Promise<number> {
  let targets = seqs;
  if (all) {
    const r = await call(f, 'GET', '/api/admin/parked');
    if (!r.ok) {
      process.stderr.write(`lpr-gateway: ${r.body.message ?? `HTTP ${r.status}`}\n`);
      return 1;
    }
    targets = [...new Set((r.body.data as ParkedRecord[]).map((p) => String(p.seq)))];
  }
  if (targets.length === 0) {
    process.stderr.write('lpr-gateway: name the seqs to replay, or --all\n');
    return 2;
  }
  let failed = 0;
  for (const seq of targets) {
    const r = await call(f, 'POST', `/api/admin/parked/${encodeURIComponent(seq)}/replay`);
    if (r.ok) process.stdout.write(`${seq}: ${r.body.message}\n`);
    else {
      failed += 1;
      process.stderr.write(`${seq}: ${r.body.message ?? `HTTP ${r.status}`}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}
