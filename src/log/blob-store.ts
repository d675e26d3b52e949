// Image blobs: one file per distinct image, named by its SHA-256 under blobs/<2 hex>/.
// Written durably (file fsync, atomic rename, directory fsync) before the record that
// references them is appended, so an acknowledged record never points at a missing image.
// The only code that touches files under blobs/. Deletion is safe against ingests in
// flight: an ingest pins its hashes before writing, a pinned file is never deleted, and a
// write waits for a deletion of the same hash under way, then writes the file anew.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { readFile as readFileCallback } from 'node:fs';
import { join } from 'node:path';
import type { ImageFiles } from './base-record-log.js';
import { writeError } from './store-failure.js';

export interface BlobInput {
  sha256: string;
  data: Buffer;
}

export interface BlobFile {
  sha256: string;
  bytes: number;
  mtimeMs: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class BlobStore implements ImageFiles {
  private readonly pins = new Map<string, number>();
  private readonly deleting = new Map<string, Promise<void>>();

  /** `onWriteFailure`: told of every failed write, so the store stops acks and says why
   *  (a full disk met by an image file is as full as one met by the log). */
  constructor(private readonly dir: string, private readonly onWriteFailure?: (err: unknown) => void) {}

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

  private pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return SHA256_HEX.test(sha256) && stat(this.pathOf(sha256)).then(() => true, () => false);
  }

  async read(sha256: string): Promise<Buffer | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    // fs.readFile with a callback: one job for the thread pool's file reader, not the four
    // FileHandle round trips (open, stat, read, close) of fs/promises, each a promise.
    return new Promise((resolve) => {
      readFileCallback(this.pathOf(sha256), (err, data) => resolve(err ? undefined : data));
    });
  }

  /** Holds these hashes against deletion until the returned release is called. */
  pin(sha256s: readonly string[]): () => void {
    for (const s of sha256s) this.pins.set(s, (this.pins.get(s) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const s of sha256s) {
        const n = (this.pins.get(s) ?? 1) - 1;
        if (n > 0) this.pins.set(s, n);
        else this.pins.delete(s);
      }
    };
  }

  /** Durably stores every blob not already present (call with the hashes pinned). */
  async putAll(blobs: BlobInput[]): Promise<void> {
    const dirsToSync = new Set<string>();
    try {
      for (const blob of blobs) {
        await this.deleting.get(blob.sha256);
        const target = this.pathOf(blob.sha256);
        if (await this.has(blob.sha256)) continue;
        const shardDir = join(this.dir, blob.sha256.slice(0, 2));
        // A newly made shard directory must itself be made durable in the parent.
        if (await mkdir(shardDir, { recursive: true })) dirsToSync.add(this.dir);
        await writeDurably(`${target}.${randomBytes(4).toString('hex')}.tmp`, target, blob.data);
        dirsToSync.add(shardDir);
      }
      for (const d of dirsToSync) await syncDir(d);
    } catch (err) {
      this.onWriteFailure?.(err);
      throw writeError(err); // a full disk is 507 STORE_FULL, anything else 503
    }
  }

  /** Deletes files no record references any more, except those an ingest holds. */
  async removeUnreferenced(sha256s: string[]): Promise<void> {
    await Promise.all(sha256s.map((sha) => {
      if (this.pins.has(sha) || this.deleting.has(sha) || !SHA256_HEX.test(sha)) return undefined;
      const done = rm(this.pathOf(sha), { force: true }).catch(() => undefined).finally(() => this.deleting.delete(sha));
      this.deleting.set(sha, done);
      return done;
    }));
  }

  /** Every blob file (for the orphan sweep), shard by shard. */
  async *list(): AsyncGenerator<BlobFile> {
    for (const shard of await readdir(this.dir).catch(() => [] as string[])) {
      const shardDir = join(this.dir, shard);
      for (const name of await readdir(shardDir).catch(() => [] as string[])) {
        if (!SHA256_HEX.test(name)) continue;
        const info = await stat(join(shardDir, name)).catch(() => undefined);
        if (info) yield { sha256: name, bytes: info.size, mtimeMs: info.mtimeMs };
      }
    }
  }
}

async function writeDurably(tmp: string, target: string, data: Buffer): Promise<void> {
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true }); // a full disk must not keep a partial file
    throw err;
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
