// Log consumer "local": republishes every record's line on the embedded broker (QoS 1;
// camera status retained), images as binary JPEG on their own topics when enabled.
import type { Logger } from 'pino';
import type { StoredRecord } from '../log/record.js';
import type { BlobStore } from '../log/blob-store.js';
import type { LocalBroker } from './local-broker.js';
import { Backoff } from './backoff.js';
import type { LogConsumer, Sender } from './log-consumer.js';
import { recordTopic } from '../kinds/index.js';
import { KINDS } from '../kinds/index.js';
import { imageTopic } from '../kinds/topics.js';

export interface LocalPublisherDeps {
  logger: Logger;
  broker: LocalBroker;
  blobs: BlobStore;
  gatewayId: string;
  publishImages: boolean;
}

export function createLocalSender(deps: LocalPublisherDeps): Sender {
  return async (record: StoredRecord) => {
    // The record's line exactly as stored: what a subscriber verifies (docs/EVIDENCE.md).
    await deps.broker.publish(recordTopic(record), record.line, { retain: KINDS[record.kind].retained });
    if (!deps.publishImages) return;
    for (const image of record.images) {
      if (image.evicted) continue;
      // Images are not retained: with no subscriber for this one, it would go nowhere.
      const topic = imageTopic(record, image);
      if (!(await deps.broker.hasSubscribers(topic))) continue;
      const data = await deps.blobs.read(image.sha256);
      // A missing blob is reported, never fatal: the record's JSON already went out.
      if (data) await deps.broker.publish(topic, data);
      else deps.logger.warn({ seq: record.seq, id: record.id, image: image.name, sha256: image.sha256 }, 'image file missing; not published');
    }
  };
}

/**
 * Runs the local consumer until stopped. A failed publish never ends local delivery for
 * good: it is logged and counted, and delivery resumes from the cursor after a backoff.
 */
export function runLocalDelivery(consumer: LogConsumer, send: Sender, logger: Logger): { failures: () => number; stop: () => Promise<void> } {
  let stopped = false;
  let failures = 0;
  let wake: (() => void) | undefined;
  const backoff = new Backoff(250, 30_000);
  const loop = (async () => {
    while (!stopped) {
      try {
        await consumer.run(send);
        backoff.reset();
      } catch (err) {
        failures += 1;
        const delay = backoff.next();
        logger.warn({ err, retryInMs: delay, cursor: consumer.position() }, 'local publish failed; retrying from the cursor');
        await new Promise<void>((ok) => {
          const timer = setTimeout(ok, delay);
          wake = () => {
            clearTimeout(timer);
            ok();
          };
        });
      }
    }
  })();
  return {
    failures: () => failures,
    async stop() {
      stopped = true;
      consumer.stop();
      wake?.();
      await loop;
    },
  };
}
