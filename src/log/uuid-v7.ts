// Time-ordered UUIDs (RFC 9562 version 7) for detection_id / health_id: sortable by
// arrival, unique without coordination. Built on randomUUID(), whose entropy is buffered
// (randomBytes(16) per id cost ~10 µs on the ingest path).
import { randomUUID } from 'node:crypto';

export function uuidV7(now: number = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0').slice(-12);
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, variant already 10xx
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
