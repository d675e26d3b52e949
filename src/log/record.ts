// The record model: what ingest produces and the durable log stores. A record is stored
// once, as the UTF-8 JSON line that is also published, forwarded, exported and verified
// (record-line.ts, docs/EVIDENCE.md). Nothing in that line changes after the ack; what
// does change (images evicted) is kept beside it.

/** status: a camera went online/offline (written by the presence job, not by cameras);
 *  alert: a detection matched the hotlist (written by the hotlist watch). */
export type RecordKind = 'detection' | 'health' | 'register' | 'status' | 'alert';
/** Where a record came from; 'gateway' for the gateway's own records (presence). */
export type Transport = 'rest' | 'socketio' | 'gateway';

/** An image taken out of a message and stored as a binary blob, addressed by its hash. */
export interface ImageRef {
  /** Topic-safe name: annotated_image, original_image, cropped_plate_0, ... */
  name: string;
  /** The message field it came from (for cropped plates: cropped_plates[i]). */
  field: string;
  content_type: string;
  bytes: number;
  sha256: string;
  /** Its topic on the local broker (in a detection's line; see kinds/topics.ts). */
  topic?: string;
  /**
   * Set on reading when the record's images were evicted under disk pressure (the record
   * outlives them). Never in the line: the log keeps it beside the record.
   */
  evicted?: boolean;
}

export interface DetectionData {
  vehicles_count: number;
  plates_count: number;
  /** Texts read, flattened from plain strings or OCR objects. */
  plates: string[];
  ocr_results: unknown[];
  vehicle_detections: unknown[];
  plate_detections: unknown[];
  processing_time_ms: number | null;
}

export type HealthLevel = 'healthy' | 'warning' | 'error' | 'unknown';

export interface HealthData {
  component: string | null;
  status: string;
  level: HealthLevel;
  message: string | null;
  details: Record<string, unknown> | null;
}

export interface StatusData {
  state: 'online' | 'offline';
  last_seen: string | null;
}

/** A hotlist match: which detection, which reading, which entry (as it was then). */
export interface AlertData {
  detection_id: string;
  detection_seq: number;
  /** The plate as the camera read it, and normalised. */
  plate: string;
  plate_key: string;
  match: 'exact' | 'fuzzy';
  entry: { plate: string; key: string; reason: string; level: string; note: string | null; expires_at: string | null; fuzzy: boolean; source: string };
  /** The detection's images (the alert points at them; it does not hold them). */
  images: { name: string; content_type: string; bytes: number; sha256: string }[];
}

/** The member that holds a record's id, by kind (as in the cameras' replies). */
export const ID_MEMBER: Readonly<Record<RecordKind, string>> = {
  detection: 'detection_id', health: 'health_id', register: 'registration_id', status: 'status_id', alert: 'alert_id',
};

/**
 * Everything about a record except what the log assigns (seq, prev_hash, hash). The log
 * renders it into its line: these members first, then `data`'s.
 */
export interface NewRecord {
  id: string;
  kind: RecordKind;
  gateway_id: string;
  camera_id: string;
  checkpoint_id: string;
  /** Camera timestamp exactly as sent. */
  timestamp: string;
  /** Camera timestamp normalised to UTC ISO 8601. */
  time: string;
  received_at: string;
  source: Transport;
  /**
   * The kind's members (kinds/): the camera's fields (lists parsed, unknown fields kept,
   * image payloads taken out), the normalised fields, and a detection's `images`. Read as
   * DetectionData, HealthData, StatusData or AlertData by kind.
   */
  data: Record<string, unknown>;
  /** The image files the record holds (a detection's; an alert only points at them). */
  images: ImageRef[];
  /** Bytes of the record plus its live images; an estimate until the log renders the line. */
  size: number;
}

export interface StoredRecord extends NewRecord {
  seq: number;
  /** SHA-256 of the line without its hash member (record-line.ts). */
  hash: string;
  /** The previous record's hash (the chain); 64 zeros for the first. */
  prev_hash: string;
  /** The record as stored: the bytes published, forwarded, exported and verified. */
  line: Buffer;
}
