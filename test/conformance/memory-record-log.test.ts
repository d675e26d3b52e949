import { emptyMemoryLogState, MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { recordLogConformance } from './record-log-suite.js';

recordLogConformance('MemoryRecordLog', {
  async create(opts = {}) {
    const state = emptyMemoryLogState();
    const make = () => new MemoryRecordLog(state, { dedupeWindowMs: opts.dedupeWindowMs ?? 86_400_000, now: opts.now });
    return { log: make(), reopen: make, cleanup: () => {} };
  },
});
