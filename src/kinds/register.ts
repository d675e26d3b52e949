// A camera registering itself. Not published as a topic of its own: it shows up as the
// camera's status.
import type { KindSpec } from './kind-spec.js';
import { kindPayload } from './pass-through.js';

export const register: KindSpec = {
  types: ['camera_register', 'register'],
  restPath: '/api/cameras/register',
  socket: { event: 'camera_register', reply: 'register_response' },
  images: false,
  data: () => ({}),
  reply: (r) => ({ success: true, message: 'Camera registered successfully', camera_id: r.camera_id, registration_id: r.id }),
  topicSuffix: undefined,
  retained: false,
  payload: (r, common) => kindPayload(r, common, 'registration_id', r.data, []),
};
