// A small real filesystem (tmpfs) for fault tests: the data dir lives on it, and a filler
// file takes every free byte (a full disk) until freed. Needs root for mount; otherwise
// the test fails at once saying so — never skipped silently.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir.js';

export class SmallDisk {
  private constructor(readonly dir: string, private readonly tmp: { dir: string; remove: () => void }) {}

  static mount(sizeBytes: number): SmallDisk {
    if (process.getuid?.() !== 0) {
      throw new Error('this fault test mounts a small tmpfs and must run as root (CI does); run `sudo npm test`');
    }
    const tmp = makeTempDir('lprgw-disk-');
    const dir = join(tmp.dir, 'mnt');
    mkdirSync(dir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
    } catch (err) {
      tmp.remove();
      throw new Error(`could not mount a tmpfs for the fault test: ${(err as Error).message}`);
    }
    return new SmallDisk(dir, tmp);
  }

  get fillerPath(): string {
    return join(this.dir, 'filler');
  }

  freeBytes(): number {
    const s = statfsSync(this.dir);
    return Number(s.bavail) * Number(s.bsize);
  }

  /** Writes the filler until the filesystem is full (ENOSPC); returns bytes written. */
  async fill(): Promise<number> {
    const fh = await open(this.fillerPath, 'a');
    let written = 0;
    // Smaller and smaller writes once a big one is refused: a full disk has no byte left,
    // not up to one chunk's worth (a 64 KB write refused whole left 60 KB free).
    try {
      for (let size = 64 * 1024; size >= 1; ) {
        try {
          const { bytesWritten } = await fh.write(Buffer.alloc(size));
          written += bytesWritten;
          if (bytesWritten < size) size = Math.floor(size / 2);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          size = Math.floor(size / 2);
        }
      }
    } finally {
      await fh.close();
    }
    return written;
  }

  free(): void {
    rmSync(this.fillerPath, { force: true });
  }

  /** Unmount (lazily: a killed process may still hold files) and remove the mount point. */
  dispose(): void {
    try {
      execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    } catch {
      // already unmounted
    }
    this.tmp.remove();
  }
}
