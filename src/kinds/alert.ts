// An alert: a detection matched the hotlist (hotlist/alert-watch.ts writes it; cameras never
// send it). Published on lpr/<checkpoint>/<camera>/alert; upstream on the priority lane.
import type { AlertData } from '../log/record.js';
import type { KindSpec } from './kind-spec.js';

export const alert: KindSpec = {
  types: [],
  timestampOptional: false,
  images: false,
  data: () => ({}),
  reply: () => ({ success: true }),
  topicSuffix: 'alert',
  retained: false,
  members(m) {
    const d = m.data as AlertData;
    // The detection's image topics: the alert points at the images, it does not carry them.
    const topic = (name: string) => `lpr/${m.checkpoint_id}/${m.camera_id}/image/${d.detection_id}/${name}`;
    return {
      detection_id: d.detection_id, detection_seq: d.detection_seq,
      plate: d.plate, plate_key: d.plate_key, match: d.match,
      level: d.entry.level, reason: d.entry.reason, entry: d.entry,
      images: d.images.map((i) => ({ name: i.name, content_type: i.content_type, bytes: i.bytes, sha256: i.sha256, topic: topic(i.name), url: `/api/images/${i.sha256}` })),
    };
  },
};
