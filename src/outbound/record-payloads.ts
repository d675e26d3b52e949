// StoredRecord → the JSON published on MQTT (DESIGN.md, "Detection JSON"). Unknown camera
// fields are passed through unchanged; the gateway's fields are added on top.
import type { DetectionData, HealthData, StatusData, StoredRecord } from '../log/record.js';
import { imageTopic } from './topics.js';

/** Camera fields the gateway replaces with normalised ones (everything else passes through). */
const REPLACED = new Set([
  'type', 'camera_id', 'aicamera_id', 'checkpoint_id', 'timestamp', 'vehicles_count', 'plates_count',
  'ocr_results', 'vehicle_detections', 'plate_detections', 'processing_time_ms',
  'component', 'status', 'message', 'details',
]);

/** Camera fields the gateway does not interpret, unchanged (a loop: this is the drain's hot path). */
function passThrough(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) {
    if (REPLACED.has(k)) continue;
    // defineProperty keeps a "__proto__" key as plain data.
    Object.defineProperty(out, k, { value: raw[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function recordPayload(r: StoredRecord, gatewayId: string): Record<string, unknown> {
  const common = {
    seq: r.seq, gateway_id: gatewayId, camera_id: r.camera_id, checkpoint_id: r.checkpoint_id,
    // The hash chain (docs/EVIDENCE.md): a cloud copy can be checked against checkpoints.
    hash: r.hash, prev_hash: r.prev_hash,
  };
  if (r.kind === 'status') {
    const d = r.data as StatusData;
    return { state: d.state, last_seen: d.last_seen, ...common, time: r.time };
  }
  const observed = { timestamp: r.timestamp, time: r.time, received_at: r.received_at };
  if (r.kind === 'health') {
    const d = r.data as HealthData;
    return Object.assign(passThrough(r.raw), {
      health_id: r.id, ...common, ...observed,
      component: d.component, status: d.status, level: d.level, message: d.message, details: d.details,
    });
  }
  const d = r.data as DetectionData;
  return Object.assign(passThrough(r.raw), {
    detection_id: r.id, ...common, ...observed,
    vehicles_count: d.vehicles_count, plates_count: d.plates_count, plates: d.plates,
    ocr_results: d.ocr_results, vehicle_detections: d.vehicle_detections, plate_detections: d.plate_detections,
    processing_time_ms: d.processing_time_ms,
    images: r.images.map((i) => ({ name: i.name, content_type: i.content_type, bytes: i.bytes, sha256: i.sha256, topic: imageTopic(r, i) })),
  });
}
