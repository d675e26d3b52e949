// A health report: a component's status (healthy/warning/error or PASS/WARNING/FAIL).
import { checkFields, healthFields, healthLevel } from './message-schemas.js';
import type { HealthData } from '../log/record.js';
import type { KindSpec } from './kind-spec.js';
import { kindMembers } from './pass-through.js';

const DATA_FIELDS: readonly (keyof HealthData)[] = ['component', 'status', 'level', 'message', 'details'];

export const health: KindSpec = {
  types: ['health_check', 'health'],
  restPath: '/api/health',
  socket: { event: 'health_status', reply: 'health_response' },
  timestampOptional: false,
  images: false,
  data(body) {
    const f = checkFields(healthFields, body);
    return { ...f, level: healthLevel(f.status) };
  },
  reply: (r) => ({ success: true, message: 'Health data received', health_id: r.id }),
  topicSuffix: 'health',
  retained: false,
  members: (m) => kindMembers(m.raw, m.data, DATA_FIELDS),
};
