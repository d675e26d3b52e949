// A camera going online or offline: the gateway's own record (camera presence), never
// sent by a camera.
import type { StatusData } from '../log/record.js';
import type { KindSpec } from './kind-spec.js';

export const status: KindSpec = {
  types: [],
  images: false,
  data: () => ({}),
  reply: () => ({ success: true }),
  topicSuffix: 'status',
  retained: true,
  payload(r, common) {
    const d = r.data as StatusData;
    const { seq, gateway_id, camera_id, checkpoint_id, hash, prev_hash, time } = common;
    return { state: d.state, last_seen: d.last_seen, seq, gateway_id, camera_id, checkpoint_id, hash, prev_hash, time };
  },
};
