// The record model: what ingest produces and the durable log stores. A record keeps the
// camera's raw message (minus image payloads, which become blobs) and a normalised form.

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
  /** Set when the image was evicted under disk pressure (the record outlives it). */
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

/** Everything about a record except what the log assigns (seq). */
export interface NewRecord {
  id: string;
  kind: RecordKind;
  camera_id: string;
  checkpoint_id: string;
  /** Camera timestamp exactly as sent. */
  timestamp: string;
  /** Camera timestamp normalised to UTC ISO 8601. */
  time: string;
  received_at: string;
  source: Transport;
  /** The message as sent, image payloads removed (see images). Unknown fields kept. */
  raw: Record<string, unknown>;
  data: DetectionData | HealthData | StatusData | AlertData | Record<string, never>;
  images: ImageRef[];
  /** Approximate bytes of the record plus its images (backlog accounting). */
  size: number;
}

export interface StoredRecord extends NewRecord {
  seq: number;
  /** SHA-256 of the record as stored (record-hash.ts); absent only on records written before the chain. */
  hash?: string;
  /** The previous record's hash (the chain). */
  prev_hash?: string;
}
