// The REST load of the benchmarks: a deployed camera's 1 KB detection (optionally with an
// image), POSTed on keep-alive connections.
import { Agent, request } from 'node:http';
import { SECONDS, timedLoad } from './bench-kit.js';

let serial = 0;

export function detection(imageB64?: string, plate = 'กข 1234'): string {
  serial += 1;
  return JSON.stringify({
    type: 'detection_result', aicamera_id: `cam-${serial % 8}`, checkpoint_id: 'cp-1',
    timestamp: new Date(1_700_000_000_000 + serial).toISOString(), vehicles_count: 1, plates_count: 1,
    ocr_results: JSON.stringify([{ text: plate, confidence: 0.93, plate_idx: 0, bbox: [100, 200, 300, 260] }]),
    vehicle_detections: JSON.stringify([{ bbox: [10, 20, 640, 480], score: 0.98, label: 'car', category_id: 2, bbox_original: [10, 20, 640, 480] }]),
    plate_detections: JSON.stringify([{ bbox: [100, 200, 300, 260], bbox_original: [100, 200, 300, 260], score: 0.91, vehicle_idx: 0 }]),
    processing_time_ms: 41.7, serial, note: 'x'.repeat(420),
    ...(imageB64 ? { original_image: imageB64 } : {}),
  });
}

export function post(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(`${url}/api/statistics`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode === 200 ? 1 : 0));
    });
    req.on('error', fail);
    req.end(body);
  });
}

export async function restLoad(url: string, connections: number, body: () => string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const r = await timedLoad(connections, SECONDS, () => post(agent, url, body()));
  agent.destroy();
  return r.perSec;
}

