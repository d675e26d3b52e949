// The contract's success bodies, shared by REST and Socket.IO so both say the same thing.
import type { AcceptResult } from '../ingest/ingest.js';
import { KINDS } from '../kinds/index.js';

export function successBody(result: AcceptResult): Record<string, unknown> {
  if (result.kind === 'test' || result.kind === 'status') return { success: true, message: 'Test data received', timestamp: new Date().toISOString() };
  return { ...KINDS[result.kind].reply(result), ...(result.duplicate ? { duplicate: true } : {}) };
}
