// Camera fields the gateway does not interpret go into the record unchanged.

/**
 * Camera fields the gateway replaces with normalised ones or writes itself (everything
 * else passes through). The record line's own members are among them, so a camera field
 * named `hash` or `seq` cannot shadow the gateway's.
 */
const REPLACED = new Set([
  'type', 'camera_id', 'aicamera_id', 'checkpoint_id', 'timestamp', 'vehicles_count', 'plates_count',
  'ocr_results', 'vehicle_detections', 'plate_detections', 'processing_time_ms', 'plates', 'images',
  'component', 'status', 'level', 'message', 'details',
  'hash', 'seq', 'prev_hash', 'kind', 'gateway_id', 'time', 'received_at', 'source',
  'detection_id', 'health_id', 'registration_id', 'status_id', 'alert_id',
]);

/**
 * A kind's members: the camera's fields passed through, then the named fields of the
 * kind's normalised data. A loop, not a spread; defineProperty keeps a "__proto__" key as
 * plain data (an assignment would set the prototype).
 */
export function kindMembers(raw: Record<string, unknown>, data: object, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) {
    if (REPLACED.has(k)) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: raw[k], enumerable: true, writable: true, configurable: true });
    else out[k] = raw[k];
  }
  for (const k of fields) out[k] = (data as Record<string, unknown>)[k];
  return out;
}
