// ingest.accept(): the one entry point for every camera message, whatever the transport.
// Order matters: validate → dedupe pre-check → images durable → record durable → answer.
import type { Logger } from 'pino';
import { type GatewayError, toGatewayError } from '../errors.js';
import type { BlobStore } from '../log/blob-store.js';
import type { RecordLog } from '../log/record-log.js';
import type { NewRecord, Transport } from '../log/record.js';
import type { StoreAdmission } from '../log/store-admission.js';
import { approxJsonBytes } from './approx-json-bytes.js';
import type { ArrivalOrder, Turn } from './arrival-order.js';
import type { CameraAccess } from '../auth/camera-access.js';
import { imageBuffers } from './image-buffers.js';
import { parseMessage, type MessageKind, type ParsedMessage } from './parse-message.js';
import { uuidV7 } from '../log/uuid-v7.js';
import { KINDS } from '../kinds/index.js';
import { imageTopic } from '../kinds/topics.js';
import { isConnectionTest } from '../kinds/connection-test.js';

export interface AcceptContext {
  source: Transport;
  impliedKind?: MessageKind;
  /** Client address, for logs. */
  remote?: string | undefined;
  /** Token the client presented (Bearer, X-API-Key, Socket.IO auth.token), if any. */
  credential?: string | undefined;
  /** The connection's arrival order (Socket.IO): appends keep it. */
  order?: ArrivalOrder | undefined;
}

export interface AcceptResult {
  kind: MessageKind;
  camera_id: string;
  /** Record id (detection_id / health_id); empty for test messages, which are not stored. */
  id: string;
  seq: number;
  duplicate: boolean;
  /** The stored record (new records only), for live views; never sent to the camera. */
  record?: NewRecord;
}

export interface IngestObserver {
  accepted(result: AcceptResult, ctx: AcceptContext): void;
  rejected(error: GatewayError, ctx: AcceptContext): void;
}

export interface IngestDeps {
  log: RecordLog;
  blobs: BlobStore;
  logger: Logger;
  timeZone: string;
  /** Written into every record (its chain is the gateway's). */
  gatewayId: string;
  defaultCheckpointId: string;
  admission?: StoreAdmission;
  access?: CameraAccess;
  maxImages?: number;
  observers?: IngestObserver[];
  now?: () => number;
}

export interface Ingest {
  accept(input: unknown, ctx: AcceptContext): Promise<AcceptResult>;
  /** Logs and counts a message a transport refused before it reached accept() (size, network). */
  refused(error: GatewayError, ctx: AcceptContext): void;
}

export function createIngest(deps: IngestDeps): Ingest {
  const now = deps.now ?? Date.now;
  const observers = deps.observers ?? [];

  async function store(input: unknown, ctx: AcceptContext): Promise<AcceptResult> {
    const turn = ctx.order?.take(); // at arrival, before anything asynchronous
    try {
      return await storeInTurn(input, ctx, turn);
    } finally {
      turn?.done();
    }
  }

  async function storeInTurn(input: unknown, ctx: AcceptContext, turn: Turn | undefined): Promise<AcceptResult> {
    const receivedAt = now();
    const msg = parseMessage(input, {
      timeZone: deps.timeZone, defaultCheckpointId: deps.defaultCheckpointId, impliedKind: ctx.impliedKind, now: receivedAt,
      maxImages: deps.maxImages,
    });
    const stored = storeParsed(msg, ctx, turn, receivedAt);
    // Once the image files are written (or failed), decoding buffers go back for the next
    // images. (No finally step for the records without images: one promise less each.)
    return msg.images.length === 0 ? stored : stored.finally(() => {
      for (const i of msg.images) imageBuffers.give(i.data);
    });
  }

  async function storeParsed(msg: ParsedMessage, ctx: AcceptContext, turn: Turn | undefined, receivedAt: number): Promise<AcceptResult> {
    deps.access?.check(msg.camera_id, ctx.credential);
    const base = { kind: msg.kind, camera_id: msg.camera_id };
    if (isConnectionTest(msg.kind)) return { ...base, id: '', seq: 0, duplicate: false };

    // A resend with images is answered before its images are written again. Records
    // without images skip this read: append() dedupes them inside the batch anyway.
    if (msg.images.length > 0) {
      const earlier = await deps.log.findDuplicate(msg.dedupeKey);
      if (earlier) return { ...base, ...earlier };
    }
    const id = uuidV7(receivedAt);
    const images = msg.images.map((i) => ({ ...i.ref, topic: imageTopic({ id, camera_id: msg.camera_id, checkpoint_id: msg.checkpoint_id }, i.ref) }));
    const record: NewRecord = {
      id, kind: msg.kind, gateway_id: deps.gatewayId, camera_id: msg.camera_id, checkpoint_id: msg.checkpoint_id,
      timestamp: msg.timestamp, time: msg.time, received_at: new Date(receivedAt).toISOString(), source: ctx.source,
      data: KINDS[msg.kind].members({ id, camera_id: msg.camera_id, checkpoint_id: msg.checkpoint_id, raw: msg.raw, data: msg.data, images }),
      images,
      size: approxJsonBytes(msg.raw) + images.reduce((n, i) => n + i.bytes, 0),
    };
    // Pinned image files cannot be deleted by an eviction or the orphan sweep between
    // being found or written here and the append that takes their references.
    const unpin = deps.blobs.pin(record.images.map((i) => i.sha256));
    try {
      const release = deps.admission ? await deps.admission.admit(record.size) : undefined;
      try {
        await deps.blobs.putAll(msg.images.map((i) => ({ sha256: i.ref.sha256, data: i.data })));
        await turn?.ready;
        const appending = deps.log.append(record, { dedupeKey: msg.dedupeKey });
        turn?.done(); // submitted: the next message of this connection may follow
        const appended = await appending;
        return appended.duplicate ? { ...base, ...appended } : { ...base, ...appended, record };
      } finally {
        release?.();
      }
    } finally {
      unpin();
    }
  }

  function refused(error: GatewayError, ctx: AcceptContext): void {
    const fields = { code: error.code, source: ctx.source, remote: ctx.remote, fields: error.fields };
    if (error.status >= 500) deps.logger.error({ ...fields, err: error.cause ?? error }, `camera message failed: ${error.message}`);
    else deps.logger.warn(fields, `camera message rejected: ${error.message}`);
    for (const o of observers) o.rejected(error, ctx);
  }

  return {
    refused,
    async accept(input, ctx) {
      try {
        const result = await store(input, ctx);
        for (const o of observers) o.accepted(result, ctx);
        return result;
      } catch (err) {
        const error = toGatewayError(err);
        refused(error, ctx);
        throw error;
      }
    },
  };
}
