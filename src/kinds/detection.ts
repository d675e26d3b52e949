// A detection: plates and vehicles read by a camera, with its images.
import { checkFields, detectionFields, plateTexts } from './message-schemas.js';
import type { DetectionData } from '../log/record.js';
import type { KindSpec } from './kind-spec.js';
import { kindMembers } from './pass-through.js';

const DATA_FIELDS: readonly (keyof DetectionData)[] = [
  'vehicles_count', 'plates_count', 'plates', 'ocr_results', 'vehicle_detections', 'plate_detections', 'processing_time_ms',
];

export const detection: KindSpec = {
  types: ['detection_result', 'detection'],
  restPath: '/api/detection',
  socket: { event: 'lpr_data', reply: 'lpr_response' },
  timestampOptional: false,
  images: true,
  data(body) {
    const f = checkFields(detectionFields, body);
    return { ...f, plates: plateTexts(f.ocr_results) };
  },
  reply: (r) => ({ success: true, message: 'Detection data received', detection_id: r.id }),
  topicSuffix: 'detection',
  retained: false,
  // Its `images` member the log writes from the references it counts (log/record-line.ts);
  // ingest gives each its topic (imageTopic).
  members: (m) => kindMembers(m.raw, m.data, DATA_FIELDS),
};
