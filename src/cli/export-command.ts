// `lpr-gateway export`: stored records as NDJSON on stdout, from a running gateway (admin
// token) or straight from a stopped gateway's data dir; images as files or omitted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import type { StoredRecord } from '../log/record.js';
import pino from 'pino';
import { exportRecords } from '../log/export-records.js';
import { openStore } from '../log/open-store.js';

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
  const emit = async (r: StoredRecord, image: (sha: string) => Promise<Buffer | undefined>) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    count += 1;
    if (!imagesDir) return;
    for (const i of r.images) {
      const data = await image(i.sha256);
      if (data) writeFileSync(join(imagesDir, `${r.id}-${i.name}${i.content_type === 'image/jpeg' ? '.jpg' : ''}`), data);
    }
  };
  if (f.dataDir) {
    // Direct mode: the gateway must be stopped (LevelDB allows one process).
    const store = await openStore(f.dataDir, { logger: pino({ level: 'silent' }) }).catch((err: Error) => {
      throw new Error(`cannot open ${f.dataDir} (is the gateway still running? use --url and --token): ${err.message}`);
    });
    try {
      for await (const r of exportRecords(store.log, { since: f.since, cameraId: f.camera, withImages: f.images !== 'omit' })) await emit(r, (sha) => store.blobs.read(sha));
    } finally {
      await store.close();
    }
  } else {
    const token = f.token ?? process.env.LPRGW_ADMIN_TOKEN ?? '';
    const q = new URLSearchParams({ ...(f.since ? { since: f.since } : {}), ...(f.camera ? { camera: f.camera } : {}), ...(f.images === 'omit' ? { images: 'omit' } : {}) });
    const res = await fetch(`${f.url}/api/admin/export?${q}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok || !res.body) {
      process.stderr.write(`lpr-gateway: export refused (${res.status}): ${await res.text()}\n`);
      return 1;
    }
    const lines = createInterface({ input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream) });
    for await (const line of lines) {
      if (!line) continue;
      await emit(JSON.parse(line) as StoredRecord, async (sha) => {
        const img = await fetch(`${f.url}/api/images/${sha}`);
        return img.ok ? Buffer.from(await img.arrayBuffer()) : undefined;
      });
    }
  }
  process.stderr.write(`exported ${count} records\n`);
  return 0;
}
