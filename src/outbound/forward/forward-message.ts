// A stored record → the message a camera following the contract would have sent the
// central server (docs: README "Put it in front of an existing LPR server"): the same
// event or REST path, the camera's fields with deployed-camera quirks mended, the images
// inline as base64 again. Kinds that cameras never send (status, alert) have no message.
//  - `aicamera_id` became `camera_id`; a missing `checkpoint_id` is the gateway's;
//  - lists and health details sent as JSON text go as JSON (the record keeps them parsed);
//  - `timestamp` is the camera's own, as sent; unknown fields pass through;
//  - what the gateway added to the record (its header, `plates`, `level`, `images`) is left out;
//  - the record's id travels as `detection_id` / `health_id` / `registration_id`, so a
//    server (or whoever reads its database) can tell a re-send from a new record.
import { KINDS } from '../../kinds/index.js';
import type { BlobStore } from '../../log/blob-store.js';
import type { StoredRecord } from '../../log/record.js';

export interface ForwardMessage {
  camera_id: string;
  checkpoint_id: string;
  /** Socket.IO event and the named reply a server answers it with. */
  event: string;
  reply: string;
  /** REST path of the same message. */
  path: string;
  body: Record<string, unknown>;
}

const CONTRACT_TYPE: Partial<Record<StoredRecord['kind'], string>> = { detection: 'detection_result', health: 'health_check' };
const ID_NAME: Partial<Record<StoredRecord['kind'], string>> = { detection: 'detection_id', health: 'health_id', register: 'registration_id' };
/** Members the gateway derives (not the camera's): left out of the camera message. */
const DERIVED = new Set(['plates', 'level', 'images']);
/** Normalised members that are null when the camera sent nothing: left out then. */
const OPTIONAL = new Set(['component', 'message', 'details', 'processing_time_ms']);
const CROP = /^cropped_plates\[(\d+)\]$/;

/** Whether records of this kind go to the central server at all. */
export function forwarded(kind: StoredRecord['kind']): boolean {
  const spec = KINDS[kind];
  return spec.socket !== undefined && spec.restPath !== undefined;
}

/** The camera message for a record (images read from the blob store), or undefined for kinds not forwarded. */
export async function forwardMessage(r: StoredRecord, blobs: BlobStore): Promise<ForwardMessage | undefined> {
  const spec = KINDS[r.kind];
  if (!spec.socket || !spec.restPath) return undefined;
  const body: Record<string, unknown> = {};
  const type = CONTRACT_TYPE[r.kind];
  if (type) body.type = type;
  body.camera_id = r.camera_id;
  body.checkpoint_id = r.checkpoint_id;
  body.timestamp = r.timestamp;
  for (const k of Object.keys(r.data)) {
    const v = r.data[k];
    if (k === '__proto__' || DERIVED.has(k) || (v === null && OPTIONAL.has(k))) continue;
    body[k] = v;
  }
  const idName = ID_NAME[r.kind];
  if (idName) body[idName] = r.id;
  for (const img of r.images) {
    if (img.evicted) continue; // gone under disk pressure: the record goes without it
    const bytes = await blobs.read(img.sha256);
    if (!bytes) continue;
    const crop = CROP.exec(img.field);
    if (crop) {
      const crops = (Array.isArray(body.cropped_plates) ? body.cropped_plates : []) as string[];
      crops[Number(crop[1])] = bytes.toString('base64');
      body.cropped_plates = crops;
    } else body[img.field] = bytes.toString('base64');
  }
  if (Array.isArray(body.cropped_plates)) body.cropped_plates = (body.cropped_plates as (string | undefined)[]).filter((c) => c !== undefined);
  return { camera_id: r.camera_id, checkpoint_id: r.checkpoint_id, event: spec.socket.event, reply: spec.socket.reply, path: spec.restPath, body };
}

/** The registration a camera sends on each new connection, before its records. */
export function registration(cameraId: string, checkpointId: string, now = new Date()): ForwardMessage {
  const spec = KINDS.register;
  return {
    camera_id: cameraId, checkpoint_id: checkpointId, event: spec.socket!.event, reply: spec.socket!.reply, path: spec.restPath!,
    body: { camera_id: cameraId, checkpoint_id: checkpointId, timestamp: now.toISOString() },
  };
}
