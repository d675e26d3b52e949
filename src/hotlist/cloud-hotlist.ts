// Hotlist entries pushed by the cloud through the uplink: a retained JSON entry on
// <prefix>lpr/gateway/<gateway_id>/hotlist/<plate> (this gateway) or <prefix>lpr/hotlist/<plate>
// (the fleet) adds or updates it; an empty message removes it. The uplink acknowledges a
// message only after receive() resolved, i.e. after the change is durable here.
import type { Logger } from 'pino';
import { entryFields, plateKey, type EntrySource } from './hotlist-entry.js';
import type { Hotlist } from './hotlist.js';

export class CloudHotlist {
  private readonly gatewayTopic: string;
  private readonly fleetTopic: string;
  /** Messages applied since start (changes, removals) and refused as invalid. */
  readonly counts = { changed: 0, unchanged: 0, removed: 0, invalid: 0 };

  constructor(private readonly hotlist: Hotlist, private readonly logger: Logger, prefix: string, gatewayId: string) {
    this.gatewayTopic = `${prefix}lpr/gateway/${gatewayId}/hotlist/`;
    this.fleetTopic = `${prefix}lpr/hotlist/`;
  }

  /** What the uplink subscribes to (QoS 1). */
  topics(): string[] {
    return [`${this.gatewayTopic}+`, `${this.fleetTopic}+`];
  }

  /** Applies one message; rejects only when the store could not take it (then it is not acknowledged). */
  async receive(topic: string, payload: Buffer): Promise<void> {
    const [source, plate] = topic.startsWith(this.gatewayTopic)
      ? ['cloud' as EntrySource, topic.slice(this.gatewayTopic.length)]
      : topic.startsWith(this.fleetTopic) ? ['fleet' as EntrySource, topic.slice(this.fleetTopic.length)] : [undefined, ''];
    if (!source) return;
    let fields;
    try {
      plateKey(plate);
      fields = payload.length === 0 ? null : entryFields(JSON.parse(payload.toString('utf8')));
    } catch (err) {
      // Acknowledged anyway: a message that can never be valid must not come back forever.
      this.counts.invalid += 1;
      this.logger.warn({ topic, err: (err as Error).message }, 'cloud hotlist message ignored: invalid');
      return;
    }
    const r = await this.hotlist.submit({ source, plate, fields });
    if (r.removed) this.counts.removed += 1;
    else if (r.changed) this.counts.changed += 1;
    else this.counts.unchanged += 1;
    if (r.changed) this.logger.info({ source, plate, removed: r.removed, level: r.entry?.level }, 'hotlist entry from the cloud');
  }
}
