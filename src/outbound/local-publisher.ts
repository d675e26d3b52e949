// Log consumer "local": republishes every record on the embedded broker (QoS 1; camera
// status retained), images as binary JPEG on their own topics when enabled.
import type { StoredRecord } from '../ingest/record.js';
import type { BlobStore } from '../log/blob-store.js';
import type { LocalBroker } from './local-broker.js';
import type { Sender } from './log-consumer.js';
import { recordPayload } from './record-payloads.js';
import { imageTopic, recordTopic } from './topics.js';

export interface LocalPublisherDeps {
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
      const data = await deps.blobs.read(image.sha256);
      if (data) await deps.broker.publish(imageTopic(record, image), data);
    }
  };
}
