// A health report: a component's status (healthy/warning/error or PASS/WARNING/FAIL).
import { checkFields, healthFields, healthLevel } from '../ingest/message-schemas.js';
import type { HealthData } from '../log/record.js';
import type { KindSpec } from './kind-spec.js';
import { passThrough, setFields } from './pass-through.js';

export const health: KindSpec = {
  types: ['health_check', 'health'],
  restPath: '/api/health',
  socket: { event: 'health_status', reply: 'health_response' },
  images: false,
  data(body) {
    const f = checkFields(healthFields, body);
    return { ...f, level: healthLevel(f.status) };
  },
  reply: (r) => ({ success: true, message: 'Health data received', health_id: r.id }),
  topicSuffix: 'health',
  payload(r, common) {
    const d = r.data as HealthData;
    const out = passThrough(r.raw);
    out.health_id = r.id;
    setFields(out, common);
    out.component = d.component;
    out.status = d.status;
    out.level = d.level;
    out.message = d.message;
    out.details = d.details;
    return out;
  },
};
