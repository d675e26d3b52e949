// The contract's success bodies, shared by REST and Socket.IO so both say the same thing.
import type { AcceptResult } from '../ingest/ingest.js';
import { connectionTestReply, isConnectionTest } from '../kinds/connection-test.js';
import { KINDS } from '../kinds/index.js';

export function successBody(result: AcceptResult): Record<string, unknown> {
  if (isConnectionTest(result.kind)) return connectionTestReply();
  return { ...KINDS[result.kind].reply(result), ...(result.duplicate ? { duplicate: true } : {}) };
}
