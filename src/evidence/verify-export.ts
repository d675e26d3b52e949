// The offline verifier (lpr-gateway verify): checks an export line by line — every record's
// hash over its own bytes, the chain continuous through records and gap lines, each image
// file against its SHA-256, and every checkpoint's signature, hash and place. The rules are
// docs/EVIDENCE.md's, so an independent implementation reaches the same verdicts. A line is
// a record only by its first bytes and a typed line only by its `line` member; numbers are
// read only as numbers; a bad line is one verdict, never a crash.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPORT_FORMAT, imageFileName } from './export-records.js';
import { GENESIS_HASH, hashOfLine, lineHead } from '../log/record-line.js';
import { signedStatement } from './checkpoint-signature.js';

export interface Problem {
  seq: number | null;
  message: string;
}

export interface VerifyResult {
  records: number;
  gaps: number;
  checkpoints: number;
  imagesChecked: number;
  imagesEvicted: number;
  /** The export says it is a selection (--camera, --since): links are not expected everywhere. */
  selection: boolean;
  problems: Problem[];
  notes: string[];
}

export interface VerifyOptions {
  imagesDir?: string | undefined;
  /** Trusted public key (raw base64, PEM, or `key show` output); without it signatures are checked only against the key in the file. */
  publicKey?: string | undefined;
}

/** A record or a gap: a stretch of the chain from `first` to `last` seq. */
interface Link {
  first: number;
  last: number;
  prevHash: string;
  hash: string;
  what: string;
}

interface PendingImages {
  seq: number;
  id: string;
  images: { name: string; content_type: string; sha256: string }[];
  evicted: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const seqOf = (v: unknown): number | undefined => (Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : undefined);

export async function verifyExport(lines: AsyncIterable<string>, opts: VerifyOptions): Promise<VerifyResult> {
  const res: VerifyResult = { records: 0, gaps: 0, checkpoints: 0, imagesChecked: 0, imagesEvicted: 0, selection: false, problems: [], notes: [] };
  const problem = (seq: number | null, message: string) => res.problems.push({ seq, message });
  let prev: Link | undefined;
  let header = false;
  let lineNo = 0;
  let pending: PendingImages | undefined;
  let lastPinned = 0;
  const beyond: number[] = [];

  const flushImages = async () => {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    if (p.evicted) res.imagesEvicted += p.images.length;
    else if (opts.imagesDir) await checkImages(p, opts.imagesDir, res, problem);
  };
  const link = (l: Link) => {
    if (!prev) {
      if (!res.selection && l.prevHash !== GENESIS_HASH) {
        problem(l.first, `the chain starts at ${l.what} with prev_hash ${l.prevHash}, not the genesis hash, and no gap line accounts for what came before`);
      }
    } else if (l.first <= prev.last) {
      problem(l.first, `${l.what} is out of order after seq ${prev.last}: inserted or repeated`);
    } else if (l.prevHash !== prev.hash && !res.selection) {
      problem(l.first, `${l.what}'s prev_hash does not link to seq ${prev.last}: records between them were removed or inserted without a gap line`);
    }
    prev = l;
  };

  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    const where = `line ${lineNo}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      await flushImages();
      problem(null, `${where}: not JSON`);
      continue;
    }
    if (!header) {
      header = true;
      if (!line.startsWith('{"line":"export"') || !isObject(value) || value.format !== EXPORT_FORMAT) {
        problem(null, `${where}: not an export of format ${EXPORT_FORMAT} (its first line must be {"line":"export","format":${EXPORT_FORMAT},…})`);
      } else {
        res.selection = value.selection !== null;
        if (res.selection) res.notes.push('this export is a selection: each record is checked on its own, links only where records follow each other');
        continue;
      }
    }
    if (line.startsWith('{"hash":"')) {
      await flushImages();
      const head = lineHead(line);
      if (!head || !isObject(value)) {
        problem(null, `${where}: a record line must begin {"hash":"<64 hex>","seq":<number>,"prev_hash":"<64 hex>",`);
        continue;
      }
      res.records += 1;
      if (hashOfLine(Buffer.from(line)) !== head.hash) problem(head.seq, 'hash does not match the line: its content was changed');
      link({ first: head.seq, last: head.seq, prevHash: head.prevHash, hash: head.hash, what: `seq ${head.seq}` });
      if (value.kind === 'detection' && Array.isArray(value.images) && typeof value.detection_id === 'string') {
        pending = { seq: head.seq, id: value.detection_id, images: value.images.filter(isObject) as PendingImages['images'], evicted: false };
      }
      continue;
    }
    if (!line.startsWith('{"line":"') || !isObject(value)) {
      await flushImages();
      problem(null, `${where}: neither a record ({"hash":…) nor a typed line ({"line":…)`);
      continue;
    }
    if (value.line === 'images_evicted') {
      if (pending && seqOf(value.seq) === pending.seq) pending.evicted = true;
      else problem(seqOf(value.seq) ?? null, `${where}: images_evicted does not follow its record`);
      continue;
    }
    await flushImages();
    if (value.line === 'gap') {
      const from = seqOf(value.from_seq);
      const to = seqOf(value.to_seq);
      const prevHash = typeof value.prev_hash === 'string' && HEX64.test(value.prev_hash) ? value.prev_hash : undefined;
      const last = typeof value.last_hash === 'string' && HEX64.test(value.last_hash) ? value.last_hash : undefined;
      if (from === undefined || to === undefined || to < from || !prevHash || !last) {
        problem(from ?? null, `${where}: a gap line needs from_seq ≤ to_seq (numbers) and prev_hash, last_hash (64 hex)`);
        continue;
      }
      res.gaps += 1;
      link({ first: from, last: to, prevHash, hash: last, what: `the gap ${from}–${to}` });
      continue;
    }
    if (value.line === 'checkpoint') {
      res.checkpoints += 1;
      const trusted = opts.publicKey ?? (typeof value.public_key === 'string' ? value.public_key : '');
      const s = signedStatement(value, trusted);
      if (!s) {
        problem(seqOf(value.seq) ?? null, `checkpoint signature is not valid${opts.publicKey ? ' for the trusted key' : ''}: forged or altered`);
        continue;
      }
      lastPinned = Math.max(lastPinned, s.seq);
      // A checkpoint follows the record (or gap) it covers.
      if (!prev || s.seq > prev.last) beyond.push(s.seq);
      else if (s.seq === prev.last && s.hash !== prev.hash) problem(s.seq, `checkpoint hash differs from ${prev.what}'s: the record or the checkpoint was altered`);
      continue;
    }
    if (value.line === 'export') problem(null, `${where}: a second export header`);
    else problem(null, `${where}: unknown line type ${JSON.stringify(value.line).slice(0, 40)}`);
  }
  await flushImages();
  if (!header) problem(null, 'the file is empty: no export header');
  const end = (prev as Link | undefined)?.last ?? 0;
  if (!res.selection) {
    for (const seq of beyond.filter((s) => s > end)) problem(seq, `a checkpoint at seq ${seq} is beyond the last record or gap (seq ${end}): records were removed from the end`);
  }
  if (!res.selection && end > 0 && lastPinned < end) {
    problem(end, `the end of the export (seq ${end}) is not covered by a signed checkpoint: records after seq ${lastPinned} cannot be told from added ones`);
  }
  if (!opts.publicKey && res.checkpoints > 0) res.notes.push("signatures were checked against the key in the file only: pass --pubkey to check them against the gateway's key");
  return res;
}

async function checkImages(p: PendingImages, dir: string, res: VerifyResult, problem: (seq: number, message: string) => void): Promise<void> {
  for (const image of p.images) {
    if (typeof image.name !== 'string' || typeof image.sha256 !== 'string') {
      problem(p.seq, 'an image reference without name or sha256');
      continue;
    }
    const file = imageFileName(p, image);
    const data = await readFile(join(dir, file)).catch(() => undefined);
    if (!data) {
      problem(p.seq, `image ${image.name}: file ${file} is missing`);
      continue;
    }
    res.imagesChecked += 1;
    if (createHash('sha256').update(data).digest('hex') !== image.sha256) problem(p.seq, `image ${image.name}: the file does not match its SHA-256 (swapped or changed)`);
  }
}
