// A detection: plates and vehicles read by a camera, with its images.
import { checkFields, detectionFields, plateTexts } from '../ingest/message-schemas.js';
import type { DetectionData } from '../log/record.js';
import { imageTopic } from '../outbound/topics.js';
import type { KindSpec } from './kind-spec.js';
import { passThrough } from './pass-through.js';

export const detection: KindSpec = {
  types: ['detection_result', 'detection'],
  restPath: '/api/detection',
  socket: { event: 'lpr_data', reply: 'lpr_response' },
  images: true,
  data(body) {
    const f = checkFields(detectionFields, body);
    return { ...f, plates: plateTexts(f.ocr_results) };
  },
  reply: (r) => ({ success: true, message: 'Detection data received', detection_id: r.id }),
  topicSuffix: 'detection',
  payload(r, common) {
    const d = r.data as DetectionData;
    return Object.assign(passThrough(r.raw), {
      detection_id: r.id, ...common,
      vehicles_count: d.vehicles_count, plates_count: d.plates_count, plates: d.plates,
      ocr_results: d.ocr_results, vehicle_detections: d.vehicle_detections, plate_detections: d.plate_detections,
      processing_time_ms: d.processing_time_ms,
      images: r.images.map((i) => ({ name: i.name, content_type: i.content_type, bytes: i.bytes, sha256: i.sha256, topic: imageTopic(r, i) })),
    });
  },
};
