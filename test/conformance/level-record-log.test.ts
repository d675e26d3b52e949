import { join } from 'node:path';
import { LevelRecordLog } from '../../src/log/level-record-log.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { recordLogConformance } from './record-log-suite.js';

recordLogConformance('LevelRecordLog', {
  async create(opts = {}) {
    const tmp = makeTempDir();
    const make = () => new LevelRecordLog({ dedupeWindowMs: 86_400_000, maxBatchRecords: 100, ...opts, location: join(tmp.dir, 'log') });
    return { log: make(), reopen: make, cleanup: tmp.remove };
  },
});
