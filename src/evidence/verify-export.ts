// The offline verifier (lpr-gateway verify): checks an NDJSON export line by line — every
// record's hash recomputed, the chain continuous, each image file against its SHA-256,
// and every checkpoint's signature and hash. The rules are docs/EVIDENCE.md's, so an
// independent implementation reaches the same verdicts.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imageFileName } from '../log/export-records.js';
import { GENESIS_HASH, recordHash } from '../log/record-hash.js';
import type { Checkpoint } from '../log/record-log.js';
import type { StoredRecord } from '../log/record.js';
import { checkpointSignedBy } from './checkpoint-signature.js';

export interface Problem {
  seq: number | null;
  message: string;
}

export interface VerifyResult {
  records: number;
  checkpoints: number;
  imagesChecked: number;
  imagesEvicted: number;
  /** Where the chain starts: GENESIS, or the prev_hash of the oldest record kept. */
  startsAt: { seq: number; prevHash: string } | undefined;
  problems: Problem[];
  notes: string[];
}

export interface VerifyOptions {
  imagesDir?: string | undefined;
  /** Trusted public key (raw base64 or PEM); without it signatures are checked only against the key in the file. */
  publicKey?: string | undefined;
}

export async function verifyExport(lines: AsyncIterable<string>, opts: VerifyOptions): Promise<VerifyResult> {
  const res: VerifyResult = { records: 0, checkpoints: 0, imagesChecked: 0, imagesEvicted: 0, startsAt: undefined, problems: [], notes: [] };
  const problem = (seq: number | null, message: string) => res.problems.push({ seq, message });
  const hashes = new Map<number, string>();
  const checkpoints: Checkpoint[] = [];
  let prev: StoredRecord | undefined;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (!line.trim()) continue;
    let parsed: StoredRecord | { checkpoint: Checkpoint };
    try {
      parsed = JSON.parse(line) as StoredRecord | { checkpoint: Checkpoint };
    } catch {
      problem(null, `line ${lineNo}: not JSON`);
      continue;
    }
    if ('checkpoint' in parsed) {
      checkpoints.push(parsed.checkpoint);
      continue;
    }
    const r = parsed;
    res.records += 1;
    if (typeof r.hash !== 'string' || typeof r.prev_hash !== 'string') {
      problem(r.seq, 'no hash: written before the chain, or the fields were removed');
      prev = r;
      continue;
    }
    if (recordHash({ ...r, prev_hash: r.prev_hash }) !== r.hash) problem(r.seq, 'hash does not match the record: its content was changed');
    if (!prev) {
      res.startsAt = { seq: r.seq, prevHash: r.prev_hash };
      if (r.prev_hash !== GENESIS_HASH) res.notes.push(`the chain starts at seq ${r.seq}: earlier records were evicted (its prev_hash ${r.prev_hash})`);
    } else if (r.seq <= prev.seq) {
      problem(r.seq, `out of order after seq ${prev.seq}: a record was inserted or repeated`);
    } else if (r.prev_hash !== prev.hash) {
      problem(r.seq, `prev_hash does not match seq ${prev.seq}'s hash: a record between them is missing, or one was inserted`);
    }
    hashes.set(r.seq, r.hash);
    if (opts.imagesDir) await checkImages(r, opts.imagesDir, res, problem);
    else res.imagesEvicted += r.images.filter((i) => i.evicted).length;
    prev = r;
  }
  for (const cp of checkpoints) {
    res.checkpoints += 1;
    const trusted = opts.publicKey ?? cp.public_key;
    if (!checkpointSignedBy(cp, trusted)) {
      problem(cp.seq, `checkpoint signature is not valid${opts.publicKey ? ' for the trusted key' : ''}: forged or altered`);
      continue;
    }
    const recorded = hashes.get(cp.seq);
    if (recorded !== undefined && recorded !== cp.hash) problem(cp.seq, "checkpoint hash differs from the record's: the record or the checkpoint was altered");
  }
  if (!opts.publicKey && checkpoints.length > 0) res.notes.push('signatures were checked against the key in the file only: pass --pubkey to check them against the gateway\'s key');
  return res;
}

async function checkImages(r: StoredRecord, dir: string, res: VerifyResult, problem: (seq: number, message: string) => void): Promise<void> {
  for (const image of r.images) {
    if (image.evicted) {
      res.imagesEvicted += 1;
      continue;
    }
    const data = await readFile(join(dir, imageFileName(r, image))).catch(() => undefined);
    if (!data) {
      problem(r.seq, `image ${image.name}: file ${imageFileName(r, image)} is missing`);
      continue;
    }
    res.imagesChecked += 1;
    if (createHash('sha256').update(data).digest('hex') !== image.sha256) problem(r.seq, `image ${image.name}: the file does not match its SHA-256 (swapped or changed)`);
  }
}
