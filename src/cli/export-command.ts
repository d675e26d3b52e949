// `lpr-gateway export`: stored records as NDJSON on stdout, from a running gateway (admin
// token) or straight from a stopped gateway's data dir; images as files or omitted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import pino from 'pino';
import { exportRecords, imageFileName, type ExportLine } from '../log/export-records.js';
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
  const emit = async (line: ExportLine, image: (sha: string) => Promise<Buffer | undefined>) => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if ('checkpoint' in line) return;
    count += 1;
    if (!imagesDir) return;
    for (const i of line.images) {
      if (i.evicted) continue;
      const data = await image(i.sha256);
      if (data) writeFileSync(join(imagesDir, imageFileName(line, i)), data);
    }
  };
  if (f.dataDir) {
    // Direct mode: the gateway must be stopped (LevelDB allows one process).
    const store = await openStore(f.dataDir, { logger: pino({ level: 'silent' }) }).catch((err: Error) => {
      throw new Error(`cannot open ${f.dataDir} (is the gateway still running? use --url and --token): ${err.message}`);
    });
    try {
      for await (const line of exportRecords(store.log, { since: f.since, cameraId: f.camera })) await emit(line, (sha) => store.blobs.read(sha));
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
    const lines = createInterface({ input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream) });
    for await (const line of lines) {
      if (!line) continue;
      await emit(JSON.parse(line) as ExportLine, async (sha) => {
        const img = await fetch(`${f.url}/api/images/${sha}`);
        return img.ok ? Buffer.from(await img.arrayBuffer()) : undefined;
      });
    }
  }
  process.stderr.write(`exported ${count} records\n`);
  return 0;
}
