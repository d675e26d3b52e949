// A detection: plates and vehicles read by a camera, with its images.
import { checkFields, detectionFields, plateTexts } from '../ingest/message-schemas.js';
import type { DetectionData } from '../log/record.js';
import { imageTopic } from '../outbound/topics.js';
import type { KindSpec } from './kind-spec.js';
import { passThrough, setFields } from './pass-through.js';

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
    const out = passThrough(r.raw);
    out.detection_id = r.id;
    setFields(out, common);
    out.vehicles_count = d.vehicles_count;
    out.plates_count = d.plates_count;
    out.plates = d.plates;
    out.ocr_results = d.ocr_results;
    out.vehicle_detections = d.vehicle_detections;
    out.plate_detections = d.plate_detections;
    out.processing_time_ms = d.processing_time_ms;
    out.images = r.images.map((i) => ({ name: i.name, content_type: i.content_type, bytes: i.bytes, sha256: i.sha256, topic: imageTopic(r, i) }));
    return out;
  },
};
