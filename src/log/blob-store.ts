// Image blobs: one file per distinct image, named by its SHA-256 under blobs/<2 hex>/.
// Written durably (file fsync, atomic rename, directory fsync) before the record that
// references them is appended, so an acknowledged record never points at a missing image.
// Content addressing makes resends and repeated images free.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface BlobInput {
  sha256: string;
  data: Buffer;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class BlobStore {
  constructor(private readonly dir: string) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // A crash mid-write leaves only *.tmp files (never a partial blob under its real name).
    for (const shard of await readdir(this.dir)) {
      const shardDir = join(this.dir, shard);
      for (const name of await readdir(shardDir).catch(() => [] as string[])) {
        if (name.endsWith('.tmp')) await rm(join(shardDir, name), { force: true });
      }
    }
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(() => true, () => false);
  }

  async read(sha256: string): Promise<Buffer | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    return readFile(this.pathOf(sha256)).catch(() => undefined);
  }

  /** Durably stores every blob not already present. */
  async putAll(blobs: BlobInput[]): Promise<void> {
    const dirsToSync = new Set<string>();
    for (const blob of blobs) {
      const target = this.pathOf(blob.sha256);
      if (await this.has(blob.sha256)) continue;
      const shardDir = join(this.dir, blob.sha256.slice(0, 2));
      // A newly made shard directory must itself be made durable in the parent.
      if (await mkdir(shardDir, { recursive: true })) dirsToSync.add(this.dir);
      const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(blob.data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, target);
      dirsToSync.add(shardDir);
    }
    for (const d of dirsToSync) await syncDir(d);
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
