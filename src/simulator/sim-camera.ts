// One simulated camera. Profile "contract": the documented sender — Socket.IO first, REST
// when Socket.IO fails, a retry after a delay, at most maxRetries. Profile "deployed": the
// cameras in the field — probe GET /api/statistics once, then one POST /api/statistics per
// record with aicamera_id and JSON-text lists; failures are resent next cycle.
import { io, type Socket } from 'socket.io-client';

export type Profile = 'contract' | 'deployed';
export type TransportChoice = 'auto' | 'socketio' | 'rest';

export interface SimOptions {
  url: string;
  cameraId: string;
  checkpointId: string;
  profile: Profile;
  transport: TransportChoice;
  frame?: Buffer | undefined;
  plate: Buffer;
  timeoutMs: number;
  retryIntervalMs: number;
  maxRetries: number;
}

export interface SimStats {
  sent: number;
  acked: number;
  failed: number;
  latencies: number[];
}

let serial = 0;

export class SimCamera {
  readonly stats: SimStats = { sent: 0, acked: 0, failed: 0, latencies: [] };
  private socket: Socket | undefined;
  private unsent: Record<string, unknown>[] = [];
  private usable = true;

  constructor(private readonly o: SimOptions) {}

  async start(): Promise<void> {
    if (this.o.profile === 'deployed') {
      const probe = await this.http('GET', '/api/statistics', undefined, 5000).catch(() => 0);
      // A deployed camera whose probe fails sends nothing until it is restarted.
      this.usable = probe === 200;
      return;
    }
    if (this.o.transport !== 'rest') this.socket = await this.connectSocket().catch(() => undefined);
    if (!this.socket && this.o.transport === 'socketio') throw new Error(`camera ${this.o.cameraId}: Socket.IO unavailable`);
    const register = { camera_id: this.o.cameraId, checkpoint_id: this.o.checkpointId, timestamp: new Date().toISOString() };
    if (this.socket) this.socket.emit('camera_register', register);
    else await this.http('POST', '/api/cameras/register', register).catch(() => 0);
  }

  /** Sends one detection (and resends what failed before, oldest first, like the field sender). */
  async tick(): Promise<void> {
    if (!this.usable) return;
    this.unsent.push(this.detection());
    const batch = this.unsent.splice(0, 50);
    for (const record of batch) {
      if (!(await this.send(record))) this.unsent.push(record);
    }
  }

  stop(): void {
    this.socket?.close();
  }

  private detection(): Record<string, unknown> {
    serial += 1;
    const plate = `กข ${String(1000 + (serial % 9000))}`;
    const ocr = [{ plate_idx: 0, bbox: [100, 200, 260, 248], text: plate, confidence: 0.9, vehicle_idx: 0 }];
    const vehicles = [{ bbox: [40, 80, 600, 420], score: 0.97, label: 'car', category_id: 2, bbox_original: [40, 80, 600, 420] }];
    const plates = [{ bbox: [100, 200, 260, 248], bbox_original: [100, 200, 260, 248], score: 0.93, vehicle_idx: 0, vehicle_bbox: [40, 80, 600, 420] }];
    const common = { type: 'detection_result', vehicles_count: 1, plates_count: 1, processing_time_ms: 40 + (serial % 20) };
    const images = this.o.frame ? { original_image: this.o.frame.toString('base64') } : {};
    if (this.o.profile === 'deployed') {
      const local = new Date(Date.now() + 7 * 3_600_000).toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1123');
      return {
        ...common, aicamera_id: this.o.cameraId, timestamp: local, created_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
        ocr_results: JSON.stringify(ocr), vehicle_detections: JSON.stringify(vehicles), plate_detections: JSON.stringify(plates),
        ...images, cropped_plates: [this.o.plate.toString('base64')],
      };
    }
    return {
      ...common, camera_id: this.o.cameraId, checkpoint_id: this.o.checkpointId, timestamp: new Date().toISOString(),
      ocr_results: ocr, vehicle_detections: vehicles, plate_detections: plates,
      ...(this.o.frame ? { annotated_image: this.o.frame.toString('base64') } : {}), cropped_plates: [this.o.plate.toString('base64')],
    };
  }

  private async send(record: Record<string, unknown>): Promise<boolean> {
    this.stats.sent += 1;
    const t0 = performance.now();
    let ok = false;
    for (let attempt = 0; attempt <= (this.o.profile === 'contract' ? this.o.maxRetries : 0) && !ok; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.o.retryIntervalMs));
      ok = this.socket?.connected ? await this.emit(record) : (await this.post(record)) === 200;
    }
    if (ok) {
      this.stats.acked += 1;
      this.stats.latencies.push(performance.now() - t0);
    } else this.stats.failed += 1;
    return ok;
  }

  private emit(record: Record<string, unknown>): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), this.o.timeoutMs);
      this.socket!.emit('lpr_data', record, (reply: { success?: boolean }) => {
        clearTimeout(timer);
        resolve(reply?.success === true);
      });
    });
  }

  private post(record: Record<string, unknown>): Promise<number> {
    const path = this.o.profile === 'deployed' ? '/api/statistics' : '/api/detection';
    return this.http('POST', path, record).catch(() => 0);
  }

  private async http(method: string, path: string, body?: unknown, timeoutMs = this.o.timeoutMs): Promise<number> {
    const res = await fetch(this.o.url + path, {
      method, signal: AbortSignal.timeout(timeoutMs),
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  private connectSocket(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = io(this.o.url, { transports: ['polling', 'websocket'], reconnectionDelay: 1000, reconnectionDelayMax: 5000, timeout: this.o.timeoutMs });
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error('Socket.IO connect timeout'));
      }, this.o.timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once('connect_error', (err) => {
        clearTimeout(timer);
        socket.close();
        reject(err);
      });
    });
  }
}
