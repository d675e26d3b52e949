// Removed stretches of the chain. Retention and eviction remove records, oldest first, but
// never a parked one; so what is gone is a few runs of consecutive records. Each run is
// kept as one row — its first and last seq, how many records, the prev_hash of its first
// record and the hash of its last — and an export shows it as a gap line in its place
// (docs/EVIDENCE.md §3). The chain then still links through: a gap's prev_hash is the hash
// of the element before it, and the element after it links to the gap's last_hash. A
// record removed any other way (by hand) leaves a break no gap line explains.
import type { GapRow } from './record-log.js';
import type { StoredRecord } from './record.js';

export interface GapPlan {
  /** Rows written (new or grown). */
  put: GapRow[];
  /** Rows merged into others (by from_seq). */
  del: number[];
}

/**
 * The rows after removing `removed` (any order). Two removed records are in one run when
 * one's prev_hash is the other's hash: links in the chain are one-to-one, so that means
 * nothing stored lies between them. A run next to an existing row (on either side) grows it.
 */
export function planGaps(existing: readonly GapRow[], removed: readonly StoredRecord[], reason: string): GapPlan {
  const rows = new Map(existing.map((g) => [g.from_seq, { ...g, reasons: [...g.reasons] }]));
  const before = new Set(rows.keys());
  const changed = new Set<number>();
  for (const r of [...removed].sort((a, b) => a.seq - b.seq)) {
    let run: GapRow = { from_seq: r.seq, to_seq: r.seq, records: 1, prev_hash: r.prev_hash, last_hash: r.hash, reasons: [reason] };
    for (const g of [...rows.values()]) {
      if (g.last_hash === run.prev_hash) {
        rows.delete(g.from_seq);
        run = join(g, run);
      }
    }
    for (const g of [...rows.values()]) {
      if (g.prev_hash === run.last_hash) {
        rows.delete(g.from_seq);
        run = join(run, g);
      }
    }
    rows.set(run.from_seq, run);
    changed.add(run.from_seq);
  }
  return {
    put: [...changed].filter((seq) => rows.has(seq)).map((seq) => rows.get(seq)!),
    del: [...before].filter((seq) => !rows.has(seq)),
  };
}

function join(a: GapRow, b: GapRow): GapRow {
  return {
    from_seq: a.from_seq, to_seq: b.to_seq, records: a.records + b.records, prev_hash: a.prev_hash, last_hash: b.last_hash,
    reasons: [...new Set([...a.reasons, ...b.reasons])],
  };
}
