// Log consumer "local": republishes every record on the embedded broker (QoS 1; camera
// status retained), images as binary JPEG on their own topics when enabled.
import type { Logger } from 'pino';
import type { StoredRecord } from '../log/record.js';
import type { BlobStore } from '../log/blob-store.js';
import type { LocalBroker } from './local-broker.js';
import type { Sender } from './log-consumer.js';
import { recordPayload } from './record-payloads.js';
import { imageTopic, recordTopic } from './topics.js';

export interface LocalPublisherDeps {
  logger: Logger;
  broker: LocalBroker;
  blobs: BlobStore;
  gatewayId: string;
  publishImages: boolean;
}

export function createLocalSender(deps: LocalPublisherDeps): Sender {
  return async (record: StoredRecord) => {
    const topic = recordTopic(record);
    if (!topic) return;
    await deps.broker.publish(topic, JSON.stringify(recordPayload(record, deps.gatewayId)), { retain: record.kind === 'status' });
    if (!deps.publishImages) return;
    for (const image of record.images) {
      if (image.evicted) continue;
      const data = await deps.blobs.read(image.sha256);
      // A missing blob is reported, never fatal: the record's JSON already went out.
      if (data) await deps.broker.publish(imageTopic(record, image), data);
      else deps.logger.warn({ seq: record.seq, id: record.id, image: image.name, sha256: image.sha256 }, 'image file missing; not published');
    }
  };
}
