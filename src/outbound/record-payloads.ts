// StoredRecord → the JSON published on MQTT (README.md, "MQTT: local subscribers and the cloud"): the gateway's
// fields every payload has, then the kind's own (kinds/). Unknown camera fields are passed
// through unchanged.
import { KINDS } from '../kinds/index.js';
import type { StoredRecord } from '../log/record.js';

export function recordPayload(r: StoredRecord, gatewayId: string): Record<string, unknown> {
  return KINDS[r.kind].payload(r, {
    seq: r.seq, gateway_id: gatewayId, camera_id: r.camera_id, checkpoint_id: r.checkpoint_id,
    // The hash chain (docs/EVIDENCE.md): a cloud copy can be checked against checkpoints.
    hash: r.hash, prev_hash: r.prev_hash,
    timestamp: r.timestamp, time: r.time, received_at: r.received_at,
  });
}
