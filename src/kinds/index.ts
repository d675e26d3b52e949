// Every record kind, by name. A new kind is a module beside these and one line here; the
// Record type makes the compiler list what it must fill in.
import type { RecordKind, StoredRecord } from '../log/record.js';
import { detection } from './detection.js';
import { health } from './health.js';
import type { KindSpec } from './kind-spec.js';
import { register } from './register.js';
import { status } from './status.js';
import { alert } from './alert.js';

export const KINDS: Record<RecordKind, KindSpec> = { detection, health, register, status, alert };

/** `type` value → kind, over every kind's aliases. */
export const KIND_OF_TYPE: ReadonlyMap<string, RecordKind> = new Map(
  (Object.entries(KINDS) as [RecordKind, KindSpec][]).flatMap(([kind, spec]) => spec.types.map((t) => [t, kind] as const)),
);

/** Topic of a record's line on the local broker (and, under the uplink's prefix, upstream). */
export function recordTopic(r: Pick<StoredRecord, 'kind' | 'camera_id' | 'checkpoint_id'>): string {
  return `lpr/${r.checkpoint_id}/${r.camera_id}/${KINDS[r.kind].topicSuffix}`;
}

export type { KindSpec };
