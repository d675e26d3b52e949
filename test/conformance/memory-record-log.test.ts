import { emptyMemoryLogState, MemoryRecordLog } from '../../src/log/memory-record-log.js';
import { recordLogConformance } from './record-log-suite.js';

recordLogConformance('MemoryRecordLog', {
  async create(opts = {}) {
    const state = emptyMemoryLogState();
    const make = () => new MemoryRecordLog(state, { dedupeWindowMs: 86_400_000, ...opts });
    return { log: make(), reopen: make, cleanup: () => {} };
  },
});
