// What makes a record kind: how cameras name and send it, what the gateway keeps of it,
// how it answers, and how it is published. One module per kind fills this in; index.ts
// collects them in a Record<RecordKind, KindSpec>, so adding a kind is one new module and
// one line, and the compiler names anything missing.
import type { ImageRef } from '../log/record.js';

/** What a kind's members are made from: the message as parsed, or what the gateway writes. */
export interface MessageParts {
  id: string;
  camera_id: string;
  checkpoint_id: string;
  /** The camera's message (image payloads taken out); {} for the gateway's own records. */
  raw: Record<string, unknown>;
  /** The normalised data (data() below, or the gateway's own record data). */
  data: object;
  images: ImageRef[];
}

export interface KindSpec {
  /** Values of a message's `type` that mean this kind (empty: cameras never send it). */
  types: readonly string[];
  /** REST endpoint whose messages are this kind when they carry no `type`. */
  restPath?: string;
  /** Socket.IO event carrying it, and the event the gateway replies with. */
  socket?: { event: string; reply: string };
  /** A message without a timestamp takes the time it arrived (a registration); otherwise it is refused. */
  timestampOptional: boolean;
  /** Whether image fields are taken out of the message into blobs. */
  images: boolean;
  /** The normalised data of a camera message; throws field problems. */
  data(body: Record<string, unknown>): object;
  /** The contract's success body. */
  reply(r: { id: string; camera_id: string }): Record<string, unknown>;
  /** Topic suffix under lpr/<checkpoint>/<camera>/. */
  topicSuffix: string;
  /** Published retained (the broker keeps the last one for new subscribers): camera status. */
  retained: boolean;
  /** The record's own members, after the gateway's header (log/record-line.ts). */
  members(m: MessageParts): Record<string, unknown>;
}
