// Validates and normalises one camera message, whatever transport it came on. Pure: no I/O.
// Produces the record fields, the decoded images and the dedupe key.
import * as crypto from 'node:crypto';
import { gatewayError } from '../errors.js';
import { decodeImages, IMAGE_FIELDS, type DecodedImage } from './decode-images.js';
import { LiftedBody } from './lift-images.js';
import { KIND_OF_TYPE, KINDS } from '../kinds/index.js';
import { CONNECTION_TEST, isConnectionTest, type MessageKind } from '../kinds/connection-test.js';
import { parseCameraTime } from './parse-timestamp.js';
import type { DetectionData, HealthData, RecordKind } from '../log/record.js';
import { topicIdProblem } from './topic-safe-id.js';

export type { MessageKind };

export interface ParseOptions {
  timeZone: string;
  /** Checkpoint id for cameras that send none. */
  defaultCheckpointId: string;
  /** Kind implied by the endpoint or event, used when the body has no `type`. */
  impliedKind?: MessageKind;
  /** Receive time, used when a registration has no timestamp. */
  now: number;
  /** Most images one record may carry. */
  maxImages?: number | undefined;
}

export interface ParsedMessage {
  kind: MessageKind;
  camera_id: string;
  checkpoint_id: string;
  timestamp: string;
  time: string;
  raw: Record<string, unknown>;
  data: DetectionData | HealthData | Record<string, never>;
  images: DecodedImage[];
  /** Same record resent → same key (the Socket.IO path rewrites `timestamp`; `created_at` is stable). */
  dedupeKey: string;
}

/** `type` → kind: every kind's aliases (kinds/), and the contract's connection test. */
const TYPES = new Map<string, MessageKind>([...KIND_OF_TYPE, [CONNECTION_TEST, CONNECTION_TEST]]);


function asObject(input: unknown): Record<string, unknown> {
  let value = input;
  // Some clients emit JSON text of an object instead of the object.
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(value);
    } catch {
      throw gatewayError('MESSAGE_NOT_JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw gatewayError('MESSAGE_NOT_OBJECT');
  }
  if (tooDeep(value)) throw gatewayError('MESSAGE_TOO_DEEP', MAX_DEPTH);
  return value as Record<string, unknown>;
}

/** Camera messages nest a few levels; anything deeper is hostile (and would overflow the stack). */
const MAX_DEPTH = 32;

function tooDeep(value: unknown, depth = 0): boolean {
  // Recursion is bounded by MAX_DEPTH itself; no work list to allocate for every message.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  if (depth >= MAX_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (tooDeep(child, depth + 1)) return true;
    return false;
  }
  for (const k in value) {
    if (Object.hasOwn(value, k) && tooDeep((value as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

function kindOf(body: Record<string, unknown>, implied: MessageKind | undefined): MessageKind {
  const type = body.type;
  if (type === undefined || type === null || type === '') {
    if (implied) return implied;
    throw gatewayError('TYPE_MISSING');
  }
  // A Map: "__proto__" or "constructor" find nothing (an object would find Object.prototype's).
  const kind = typeof type === 'string' ? TYPES.get(type) : undefined;
  if (!kind) {
    throw gatewayError('TYPE_UNKNOWN', type);
  }
  return kind;
}

function idField(body: Record<string, unknown>, names: string[], fallback?: string): string {
  const name = names.find((n) => body[n] !== undefined && body[n] !== null) ?? names[0]!;
  const value = body[name];
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw gatewayError('ID_INVALID', names[0]!, 'is required');
  }
  const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof id !== 'string') throw gatewayError('ID_INVALID', name, 'must be a string');
  const problem = topicIdProblem(id);
  if (problem) throw gatewayError('ID_INVALID', name, problem);
  return id;
}

function timeOf(body: Record<string, unknown>, kind: MessageKind, opts: ParseOptions): { timestamp: string; ms: number } {
  const raw = body.timestamp ?? body.created_at;
  if (raw === undefined || raw === null || raw === '') {
    if (isConnectionTest(kind) || KINDS[kind].timestampOptional) return { timestamp: new Date(opts.now).toISOString(), ms: opts.now };
    throw gatewayError('TIMESTAMP_MISSING');
  }
  // created_at is UTC in SQLite form; timestamp without zone is camera-local.
  const zone = body.timestamp === undefined || body.timestamp === null ? 'UTC' : opts.timeZone;
  const ms = parseCameraTime(raw, zone);
  if (ms === undefined) {
    throw gatewayError('TIMESTAMP_INVALID', raw);
  }
  return { timestamp: typeof raw === 'string' ? raw : String(raw), ms };
}

/** SHA-256 of a string, base64url. crypto.hash (Node ≥ 20.12) hashes it without making a
 *  Hash object: 3.6 → 1.9 µs for a 1 KB detection's key. Older Node 20 takes the long way. */
const sha256Key: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'base64url')
  : (text) => crypto.createHash('sha256').update(text).digest('base64url');

/** Stored in the log's dedupe index: the same message must give the same key in every
 *  version (a unit test pins two). */
function dedupeKeyOf(kind: MessageKind, cameraId: string, raw: Record<string, unknown>, images: DecodedImage[]): string {
  const stable = raw.created_at !== undefined && raw.created_at !== null ? { ...raw, timestamp: undefined } : raw;
  let text = `${kind}\0${cameraId}\0${JSON.stringify(stable)}`;
  for (const img of images) text += `\0${img.ref.sha256}`;
  return sha256Key(text);
}

/**
 * Takes the image fields out of the body (they are decoded and stored as files): the body
 * is then the raw record. In place, not a copy: a 1.5 MB image is a 2 MB base64 string,
 * and the transport and ingest keep the body until the record is durable; dropped here it
 * dies young instead of being promoted and waiting for a full collection (the image peak
 * of bench:soak). `delete` leaves a "__proto__" member as it is, plain data.
 */
function takeOutImages(body: Record<string, unknown>): Record<string, unknown> {
  for (const f of IMAGE_FIELDS) if (Object.hasOwn(body, f)) delete body[f];
  return body;
}

export function parseMessage(input: unknown, opts: ParseOptions): ParsedMessage {
  const lifted = input instanceof LiftedBody ? input.images : undefined;
  const body = asObject(input instanceof LiftedBody ? input.body : input);
  const kind = kindOf(body, opts.impliedKind);
  const camera_id = idField(body, ['camera_id', 'aicamera_id']);
  const checkpoint_id = idField(body, ['checkpoint_id'], opts.defaultCheckpointId);
  const { timestamp, ms } = timeOf(body, kind, opts);

  const spec = isConnectionTest(kind) ? undefined : KINDS[kind];
  if (lifted && !spec?.images) {
    // A kind without images keeps such fields as sent.
    for (const [field, image] of lifted) body[field] = image.text();
  }
  const data = (spec?.data(body) ?? {}) as ParsedMessage['data'];
  const images = spec?.images ? decodeImages(body, lifted) : [];
  lifted?.clear();
  if (opts.maxImages !== undefined && images.length > opts.maxImages) {
    throw gatewayError('TOO_MANY_IMAGES', opts.maxImages, images.length);
  }
  const raw = spec?.images ? takeOutImages(body) : body;

  return {
    kind, camera_id, checkpoint_id, timestamp, time: new Date(ms).toISOString(), raw, data, images,
    dedupeKey: dedupeKeyOf(kind, camera_id, raw, images),
  };
}
