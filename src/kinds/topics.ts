// MQTT topic names (README.md, "MQTT: local subscribers and the cloud"). The local broker and the uplink use the same tree; the
// uplink may put a prefix in front. Ids are validated at ingest, so they are safe levels.
import type { ImageRef } from '../log/record.js';

export function imageTopic(r: { id: string; camera_id: string; checkpoint_id: string }, image: Pick<ImageRef, 'name'>): string {
  return `lpr/${r.checkpoint_id}/${r.camera_id}/image/${r.id}/${image.name}`;
}

export function gatewayCheckpointTopic(gatewayId: string): string {
  return `lpr/gateway/${gatewayId}/checkpoint`;
}

export function gatewayStatusTopic(gatewayId: string): string {
  return `lpr/gateway/${gatewayId}/status`;
}

/** The local tree the gateway alone publishes to: LAN clients may not publish here. */
export const GATEWAY_TOPIC_ROOT = 'lpr';
