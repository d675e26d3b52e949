// Camera fields the gateway does not interpret go into MQTT payloads unchanged.

/** Camera fields the gateway replaces with normalised ones (everything else passes through). */
const REPLACED = new Set([
  'type', 'camera_id', 'aicamera_id', 'checkpoint_id', 'timestamp', 'vehicles_count', 'plates_count',
  'ocr_results', 'vehicle_detections', 'plate_detections', 'processing_time_ms',
  'component', 'status', 'message', 'details',
]);

/** A loop, not a spread: this is the drain's hot path. */
export function passThrough(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) {
    if (REPLACED.has(k)) continue;
    // defineProperty keeps a "__proto__" key as plain data (an assignment would set the
    // prototype); only for that key, it is several times slower than assigning.
    if (k === '__proto__') Object.defineProperty(out, k, { value: raw[k], enumerable: true, writable: true, configurable: true });
    else out[k] = raw[k];
  }
  return out;
}

/**
 * Sets `fields` on a payload in their order, as Object.assign would (a field the camera
 * also sent keeps its place, with the gateway's value). Plain assignments: Object.assign
 * of an object literal onto the passed-through fields was, after JSON itself, the drain's
 * largest allocation.
 */
export function setFields(out: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  for (const k in fields) out[k] = fields[k];
  return out;
}
