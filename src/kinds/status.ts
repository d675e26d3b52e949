// A camera going online or offline: the gateway's own record (camera presence), never
// sent by a camera.
import type { StatusData } from '../log/record.js';
import type { KindSpec } from './kind-spec.js';

export const status: KindSpec = {
  types: [],
  timestampOptional: false,
  images: false,
  data: () => ({}),
  reply: () => ({ success: true }),
  topicSuffix: 'status',
  retained: true,
  members(m) {
    const d = m.data as StatusData;
    return { state: d.state, last_seen: d.last_seen };
  },
};
