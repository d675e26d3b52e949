// Camera messages as the contract documents them and as deployed cameras really send them.
import { randomBytes } from 'node:crypto';

let counter = 0;

/** A JPEG-looking buffer of about `bytes` bytes (valid SOI/EOI markers, random body). */
export function fakeJpeg(bytes: number): Buffer {
  const b = randomBytes(Math.max(bytes, 8));
  b[0] = 0xff; b[1] = 0xd8; b[2] = 0xff; b[3] = 0xe0;
  b[b.length - 2] = 0xff; b[b.length - 1] = 0xd9;
  return b;
}

/** The contract's minimal detection, made unique by its timestamp. */
export function contractDetection(extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  const t = new Date(Date.UTC(2024, 11, 19, 10, 0, 0) + counter * 1000).toISOString();
  return { type: 'detection_result', camera_id: '1', checkpoint_id: '1', timestamp: t, vehicles_count: 1, plates_count: 1, ...extra };
}

/** A deployed camera's detection: aicamera_id, naive local time, lists as JSON text. */
export function deployedDetection(extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    type: 'detection_result',
    aicamera_id: '7',
    timestamp: `2025-08-24T17:53:${String(counter % 60).padStart(2, '0')}.123456`,
    created_at: `2025-08-24 10:53:${String(counter % 60).padStart(2, '0')}`,
    vehicles_count: 1,
    plates_count: 1,
    ocr_results: JSON.stringify([{ plate_idx: 0, bbox: [1, 2, 3, 4], text: 'กข 1234', confidence: 0.93, hailo_ocr: { text: 'กข1234' } }]),
    vehicle_detections: JSON.stringify([{ bbox: [10, 20, 300, 400], score: 0.98, label: 'car', category_id: 2, bbox_original: [1, 2, 3, 4] }]),
    plate_detections: JSON.stringify([{ bbox: [5, 6, 7, 8], bbox_original: [5, 6, 7, 8], score: 0.91, vehicle_idx: 0, vehicle_bbox: [10, 20, 300, 400] }]),
    processing_time_ms: 123.4,
    serial: counter,
    firmware: 'v2.3.1',
    ...extra,
  };
}

export function deployedHealth(extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    type: 'health_check', aicamera_id: '7', timestamp: `2025-08-24T17:54:00.${String(counter).padStart(6, '0')}`,
    component: 'CPU & RAM', status: 'WARNING', message: 'CPU hot', details: JSON.stringify({ cpu_percent: 91.5, cpu_temp: 78 }),
    ...extra,
  };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // leave as text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}
