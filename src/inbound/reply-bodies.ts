// The contract's success bodies, shared by REST and Socket.IO so both say the same thing.
import type { AcceptResult } from '../ingest/ingest.js';

export function successBody(result: AcceptResult): Record<string, unknown> {
  const extra = result.duplicate ? { duplicate: true } : {};
  switch (result.kind) {
    case 'detection':
      return { success: true, message: 'Detection data received', detection_id: result.id, ...extra };
    case 'health':
      return { success: true, message: 'Health data received', health_id: result.id, ...extra };
    case 'register':
      return { success: true, message: 'Camera registered successfully', camera_id: result.camera_id, registration_id: result.id, ...extra };
    case 'test':
    case 'status':
      return { success: true, message: 'Test data received', timestamp: new Date().toISOString() };
  }
}
