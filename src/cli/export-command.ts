// `lpr-gateway export`: the log as NDJSON on stdout (evidence/export-records.ts), from a running
// gateway (admin token) or straight from a stopped gateway's data dir; images as files or
// omitted. Record lines are written byte for byte as stored.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import pino from 'pino';
import { loadOrCreateSigningKey } from '../evidence/signing-key.js';
import { EvidenceCheckpoints } from '../evidence/evidence-checkpoints.js';
import { exportRecords, imageFileName } from '../evidence/export-records.js';
import { openStore } from '../log/open-store.js';
import { decodeLine } from '../log/record-line.js';
import type { StoredRecord } from '../log/record.js';

export interface ExportFlags {
  since?: string;
  camera?: string;
  images?: string;
  url: string;
  token?: string;
  dataDir?: string;
}

export async function exportCommand(f: ExportFlags): Promise<number> {
  if (f.since !== undefined && Number.isNaN(Date.parse(f.since))) throw new InvalidArgumentError(`--since must be an ISO 8601 time, got "${f.since}"`);
  const imagesDir = f.images && f.images !== 'omit' ? f.images : undefined;
  if (imagesDir) mkdirSync(imagesDir, { recursive: true });
  let count = 0;
  const out = process.stdout;
  const emit = async (text: Buffer | string, r: StoredRecord | undefined, image: (sha: string) => Promise<Buffer | undefined>) => {
    out.write(text);
    if (!out.write('\n')) await new Promise((ok) => out.once('drain', ok));
    if (!r) return;
    count += 1;
    if (!imagesDir) return;
    for (const i of r.images) {
      if (i.evicted) continue;
      const data = await image(i.sha256);
      if (data) writeFileSync(join(imagesDir, imageFileName(r, i)), data);
    }
  };
  if (f.dataDir) {
    // Direct mode: the gateway must be stopped (LevelDB allows one process).
    const logger = pino({ level: 'silent' });
    const store = await openStore(f.dataDir, { logger }).catch((err: Error) => {
      throw new Error(`cannot open ${f.dataDir} (is the gateway still running? use --url and --token): ${err.message}`);
    });
    try {
      // The head is signed first with the gateway's own key (after a crash the last
      // checkpoint is older than the last record), so the whole export is pinned.
      const head = store.log.chainHead();
      const gatewayId = head && (await store.log.get(head.seq))?.gateway_id;
      const evidence = gatewayId && existsSync(store.evidenceKeyPath)
        ? new EvidenceCheckpoints({ log: store.log, key: loadOrCreateSigningKey(store.evidenceKeyPath), gatewayId, logger, publish: async () => {} })
        : undefined;
      const lines = exportRecords(store.log, { since: f.since, cameraId: f.camera }, { checkpoint: evidence && (() => evidence.checkpoint()) });
      for await (const line of lines) await emit(line.text, line.record, (sha) => store.blobs.read(sha));
    } finally {
      await store.close();
    }
  } else {
    const token = f.token ?? process.env.LPRGW_ADMIN_TOKEN ?? '';
    const q = new URLSearchParams({ ...(f.since ? { since: f.since } : {}), ...(f.camera ? { camera: f.camera } : {}) });
    const res = await fetch(`${f.url}/api/admin/export?${q}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok || !res.body) {
      process.stderr.write(`lpr-gateway: export refused (${res.status}): ${await res.text()}\n`);
      return 1;
    }
    const lines = createInterface({ input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      const r = line.startsWith('{"hash":"') ? decodeLine(Buffer.from(line)) : undefined;
      await emit(line, r, async (sha) => {
        const img = await fetch(`${f.url}/api/images/${sha}`);
        return img.ok ? Buffer.from(await img.arrayBuffer()) : undefined;
      });
    }
  }
  process.stderr.write(`exported ${count} records\n`);
  return 0;
}
