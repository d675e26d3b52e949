// What the uplink publishes for one record: its JSON on the record topic, and (on the
// image lane) each image — whole, in chunks, or as a reference when the cloud broker's
// message size limit (uplink.maxMessageBytes) is smaller than the image.
import type { ImageRef, StoredRecord } from '../log/record.js';
import { recordTopic } from '../kinds/index.js';
import { KINDS } from '../kinds/index.js';
import { imageTopic } from '../kinds/topics.js';

export interface OutMessage {
  topic: string;
  payload: Buffer | string;
  retain: boolean;
  /** For MQTT 5 user properties. */
  recordId: string;
  /** messageBytes(topic, payload), counted once: the size check and the PUBACK deadline both need it. */
  bytes: number;
}

const message = (topic: string, payload: Buffer | string, retain: boolean, recordId: string): OutMessage =>
  ({ topic, payload, retain, recordId, bytes: messageBytes(topic, payload) });

export type OversizeMode = 'reference' | 'chunks';

/** A record's message: its line exactly as stored (docs/EVIDENCE.md), never rendered again. */
export function metadataMessage(r: StoredRecord, prefix: string): OutMessage {
  return message(prefix + recordTopic(r), r.line, KINDS[r.kind].retained, r.id);
}

/** Bytes a PUBLISH of this topic and payload puts on the wire, roughly (headers included). */
export function messageBytes(topic: string, payload: Buffer | string): number {
  return Buffer.byteLength(topic) + (typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length) + 16;
}

/** Room left for the payload under a size limit: topic, headers and properties. */
const OVERHEAD = 512;

export function imageMessages(
  r: StoredRecord, image: ImageRef, data: Buffer, prefix: string, maxBytes: number, mode: OversizeMode,
): OutMessage[] {
  const topic = prefix + imageTopic(r, image);
  if (maxBytes <= 0 || data.length + topic.length + OVERHEAD <= maxBytes) {
    return [message(topic, data, false, r.id)];
  }
  if (mode === 'reference') {
    // The image stays on the gateway (GET /api/images/<sha256>); the cloud learns it exists.
    const ref = { detection_id: r.id, name: image.name, sha256: image.sha256, bytes: image.bytes, content_type: image.content_type, stored_on_gateway: true };
    return [message(`${topic}/ref`, JSON.stringify(ref), false, r.id)];
  }
  const size = Math.max(1, maxBytes - topic.length - OVERHEAD - 32);
  const count = Math.ceil(data.length / size);
  return Array.from({ length: count }, (_, i) => message(`${topic}/chunk/${i}/${count}`, data.subarray(i * size, (i + 1) * size), false, r.id));
}
