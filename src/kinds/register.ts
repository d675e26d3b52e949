// A camera registering itself. Published on lpr/<checkpoint>/<camera>/register like every
// record, so a copy of the chain elsewhere has no holes (docs/EVIDENCE.md).
import type { KindSpec } from './kind-spec.js';
import { kindMembers } from './pass-through.js';

export const register: KindSpec = {
  types: ['camera_register', 'register'],
  restPath: '/api/cameras/register',
  socket: { event: 'camera_register', reply: 'register_response' },
  timestampOptional: true,
  images: false,
  data: () => ({}),
  reply: (r) => ({ success: true, message: 'Camera registered successfully', camera_id: r.camera_id, registration_id: r.id }),
  topicSuffix: 'register',
  retained: false,
  members: (m) => kindMembers(m.raw, {}, []),
};
