// An alert: a detection matched the hotlist (hotlist/alert-watch.ts writes it; cameras never
// send it). Published on lpr/<checkpoint>/<camera>/alert; upstream on the priority lane.
import type { AlertData, StoredRecord } from '../log/record.js';
import type { KindSpec } from './kind-spec.js';

/** The detection's image topic (the alert points at the images, it does not carry them). */
const detectionImageTopic = (r: StoredRecord, d: AlertData, name: string) => `lpr/${r.checkpoint_id}/${r.camera_id}/image/${d.detection_id}/${name}`;

export const alert: KindSpec = {
  types: [],
  images: false,
  data: () => ({}),
  reply: () => ({ success: true }),
  topicSuffix: 'alert',
  retained: false,
  payload(r, common) {
    const d = r.data as AlertData;
    return {
      alert_id: r.id, ...common,
      detection_id: d.detection_id, detection_seq: d.detection_seq,
      plate: d.plate, plate_key: d.plate_key, match: d.match,
      level: d.entry.level, reason: d.entry.reason, entry: d.entry,
      images: d.images.map((i) => ({ ...i, topic: detectionImageTopic(r, d, i.name), url: `/api/images/${i.sha256}` })),
    };
  },
};
