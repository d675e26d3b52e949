// Camera fields the gateway does not interpret go into MQTT payloads unchanged.

/** Camera fields the gateway replaces with normalised ones (everything else passes through). */
const REPLACED = new Set([
  'type', 'camera_id', 'aicamera_id', 'checkpoint_id', 'timestamp', 'vehicles_count', 'plates_count',
  'ocr_results', 'vehicle_detections', 'plate_detections', 'processing_time_ms',
  'component', 'status', 'message', 'details',
]);

/** A loop, not a spread: this is the drain's hot path. */
function passThrough(raw: Record<string, unknown>): Record<string, unknown> {
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
 * A kind's payload: the camera's fields passed through, then the record's id under the
 * kind's name for it, the gateway's common fields and the named fields of the kind's data,
 * in that order. A field the camera also sent keeps its place with the gateway's value (as
 * Object.assign would). Plain assignments: Object.assign of an object literal onto the
 * passed-through fields was, after JSON itself, the drain's largest allocation.
 */
export function kindPayload(
  r: { id: string; raw: Record<string, unknown> }, common: Record<string, unknown>, idName: string,
  data: object, fields: readonly string[],
): Record<string, unknown> {
  const out = passThrough(r.raw);
  out[idName] = r.id;
  for (const k in common) out[k] = common[k];
  for (const k of fields) out[k] = (data as Record<string, unknown>)[k];
  return out;
}
