// What makes a record kind: how cameras name and send it, what the gateway keeps of it,
// how it answers, and how it is published. One module per kind fills this in; index.ts
// collects them in a Record<RecordKind, KindSpec>, so adding a kind is one new module and
// one line, and the compiler names anything missing.
import type { StoredRecord } from '../log/record.js';

export interface KindSpec {
  /** Values of a message's `type` that mean this kind (empty: cameras never send it). */
  types: readonly string[];
  /** REST endpoint whose messages are this kind when they carry no `type`. */
  restPath?: string;
  /** Socket.IO event carrying it, and the event the gateway replies with. */
  socket?: { event: string; reply: string };
  /** Whether image fields are taken out of the message into blobs. */
  images: boolean;
  /** The normalised data kept beside the raw message; throws field problems. */
  data(body: Record<string, unknown>): StoredRecord['data'];
  /** The contract's success body. */
  reply(r: { id: string; camera_id: string }): Record<string, unknown>;
  /** Topic suffix under lpr/<checkpoint>/<camera>/, or undefined when not published. */
  topicSuffix: string | undefined;
  /** Published retained (the broker keeps the last one for new subscribers): camera status. */
  retained: boolean;
  /** The MQTT payload, from the gateway fields every payload has. */
  payload(r: StoredRecord, common: Record<string, unknown>): Record<string, unknown>;
}
