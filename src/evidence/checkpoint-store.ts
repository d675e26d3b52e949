// Where signed checkpoints are kept: the log's `checkpoint` table, owned here. Keyed by the
// seq each covers, so an export reads them in step with the records, and a restart finds
// the newest without a scan. Written synced: a checkpoint that was published is on disk.
import { seqKey } from '../log/log-backend.js';
import type { RecordLog } from '../log/record-log.js';
import type { Checkpoint } from './checkpoint-signature.js';

export class CheckpointStore {
  private readonly table;

  constructor(log: RecordLog) {
    this.table = log.table<Checkpoint>('checkpoint');
  }

  add(cp: Checkpoint): Promise<void> {
    return this.table.write([{ key: seqKey(cp.seq), value: cp }], { sync: true });
  }

  /** Checkpoints covering seqs after `afterSeq`, in seq order, at most `limit`. */
  async after(afterSeq: number, limit: number): Promise<Checkpoint[]> {
    return (await this.table.range({ gt: seqKey(afterSeq), limit })).map(([, cp]) => cp);
  }
}
