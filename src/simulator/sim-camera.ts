// One simulated camera. Profile "contract": the documented sender — Socket.IO first, REST
// when Socket.IO fails, a retry after a delay, at most maxRetries. Profile "deployed": the
// cameras in the field — probe GET /api/statistics once, then one POST /api/statistics per
// record with aicamera_id and JSON-text lists; failures are resent next cycle.
// Every failure is counted with its reason, so a run against a dead or refusing gateway
// says why rather than just "failed".
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';

export type Profile = 'contract' | 'deployed';
export type TransportChoice = 'auto' | 'socketio' | 'rest';

export interface SimOptions {
  url: string;
  cameraId: string;
  /** Omitted: messages carry no checkpoint_id and the gateway files them under its own. */
  checkpointId?: string | undefined;
  profile: Profile;
  transport: TransportChoice;
  frame?: Buffer | undefined;
  plate: Buffer;
  timeoutMs: number;
  retryIntervalMs: number;
  maxRetries: number;
  /** Aborted when the run ends: retries and requests in progress stop with it. */
  signal: AbortSignal;
}

export interface SimStats {
  sent: number;
  acked: number;
  failed: number;
  health: number;
  /** Records the run's end interrupted (not counted as sent or failed). */
  unsent: number;
  latencies: number[];
  /** Failure reason → count, e.g. "unreachable (ECONNREFUSED)", "HTTP 507 STORE_FULL". */
  errors: Record<string, number>;
  /** What the camera ended up using. */
  transport: 'socketio' | 'rest' | 'none';
}

type Outcome = { ok: true } | { ok: false; reason: string };

const RUN_ENDED = 'not sent: the run ended';

let serial = 0;

export class SimCamera {
  readonly stats: SimStats = { sent: 0, acked: 0, failed: 0, health: 0, unsent: 0, latencies: [], errors: {}, transport: 'none' };
  private socket: Socket | undefined;
  private unsent: Record<string, unknown>[] = [];
  private usable = true;

  constructor(private readonly o: SimOptions) {}

  async start(): Promise<void> {
    if (this.o.profile === 'deployed') {
      const probe = await this.http('GET', '/api/statistics', undefined, 5000);
      // A deployed camera whose probe fails sends nothing until it is restarted.
      this.usable = probe.ok;
      if (probe.ok) this.stats.transport = 'rest';
      else this.count(`start-up probe GET /api/statistics failed: ${probe.reason}`);
      return;
    }
    if (this.o.transport !== 'rest') {
      this.socket = await this.connectSocket().catch((err: Error) => {
        this.count(`Socket.IO connect failed: ${reasonOf(err)}`);
        return undefined;
      });
    }
    if (!this.socket && this.o.transport === 'socketio') {
      this.usable = false;
      return;
    }
    this.stats.transport = this.socket ? 'socketio' : 'rest';
    const register = { camera_id: this.o.cameraId, timestamp: new Date().toISOString(), ...this.checkpoint() };
    if (this.socket) this.socket.emit('camera_register', register);
    else await this.http('POST', '/api/cameras/register', register);
  }

  /** Sends one detection (and resends what failed before, oldest first, like the field sender). */
  async tick(): Promise<void> {
    if (!this.usable) return;
    this.unsent.push(this.detection());
    const batch = this.unsent.splice(0, 50);
    for (const record of batch) {
      if (this.o.signal.aborted || !(await this.send(record))) this.unsent.push(record);
    }
  }

  /** Sends one health report, the way this profile's cameras do. */
  async healthTick(): Promise<void> {
    if (!this.usable) return;
    this.stats.health += 1;
    await this.send(this.healthReport());
  }

  stop(): void {
    this.socket?.close();
  }

  private checkpoint(): { checkpoint_id?: string } {
    return this.o.checkpointId === undefined ? {} : { checkpoint_id: this.o.checkpointId };
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
      return {
        ...common, aicamera_id: this.o.cameraId, ...this.checkpoint(), ...fieldTimes(),
        ocr_results: JSON.stringify(ocr), vehicle_detections: JSON.stringify(vehicles), plate_detections: JSON.stringify(plates),
        ...images, cropped_plates: [this.o.plate.toString('base64')],
      };
    }
    return {
      ...common, camera_id: this.o.cameraId, ...this.checkpoint(), timestamp: new Date().toISOString(),
      ocr_results: ocr, vehicle_detections: vehicles, plate_detections: plates,
      ...(this.o.frame ? { annotated_image: this.o.frame.toString('base64') } : {}), cropped_plates: [this.o.plate.toString('base64')],
    };
  }

  private healthReport(): Record<string, unknown> {
    const details = { cpu_percent: 20 + (serial % 30), ram_percent: 41.5, cpu_temp: 55 + (serial % 10) };
    if (this.o.profile === 'deployed') {
      return { type: 'health_check', aicamera_id: this.o.cameraId, ...this.checkpoint(), ...fieldTimes(), component: 'CPU & RAM', status: 'PASS', message: 'ok', details: JSON.stringify(details) };
    }
    return { type: 'health_check', camera_id: this.o.cameraId, ...this.checkpoint(), timestamp: new Date().toISOString(), component: 'camera', status: 'healthy', message: 'ok', details };
  }

  private async send(record: Record<string, unknown>): Promise<boolean> {
    this.stats.sent += 1;
    const t0 = performance.now();
    let outcome: Outcome = { ok: false, reason: RUN_ENDED };
    const attempts = this.o.profile === 'contract' ? this.o.maxRetries + 1 : 1;
    for (let attempt = 0; attempt < attempts && !this.o.signal.aborted; attempt++) {
      if (attempt > 0) await sleep(this.o.retryIntervalMs, undefined, { signal: this.o.signal }).catch(() => undefined);
      if (this.o.signal.aborted) break;
      outcome = this.socket?.connected ? await this.emit(record) : await this.post(record);
      if (outcome.ok) break;
    }
    if (outcome.ok) {
      this.stats.acked += 1;
      this.stats.latencies.push(performance.now() - t0);
    } else if (outcome.reason === RUN_ENDED) {
      // The run ended before any answer (a request in flight, or none made yet): not a
      // failure. A record refused and then waiting for its retry still counts as failed.
      this.stats.sent -= 1;
      this.stats.unsent += 1;
    } else {
      this.stats.failed += 1;
      this.count(outcome.reason);
    }
    return outcome.ok;
  }

  private count(reason: string): void {
    this.stats.errors[reason] = (this.stats.errors[reason] ?? 0) + 1;
  }

  private emit(record: Record<string, unknown>): Promise<Outcome> {
    const event = record.type === 'health_check' ? 'health_status' : 'lpr_data';
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, reason: `Socket.IO: no answer in ${this.o.timeoutMs / 1000} s` }), this.o.timeoutMs);
      this.socket!.emit(event, record, (reply: { success?: boolean; error?: { code?: string } }) => {
        clearTimeout(timer);
        resolve(reply?.success === true ? { ok: true } : { ok: false, reason: `Socket.IO error ${reply?.error?.code ?? 'reply without success'}` });
      });
    });
  }

  private post(record: Record<string, unknown>): Promise<Outcome> {
    const health = record.type === 'health_check';
    const path = this.o.profile === 'deployed' ? '/api/statistics' : health ? '/api/health' : '/api/detection';
    return this.http('POST', path, record);
  }

  private async http(method: string, path: string, body?: unknown, timeoutMs = this.o.timeoutMs): Promise<Outcome> {
    try {
      const res = await fetch(this.o.url + path, {
        method, signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.o.signal]),
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (res.status === 200 || res.status === 201) return { ok: true };
      let code = '';
      try {
        code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '';
      } catch {
        // not a JSON body: the status says enough
      }
      return { ok: false, reason: `HTTP ${res.status}${code ? ` ${code}` : ''}` };
    } catch (err) {
      if (this.o.signal.aborted) return { ok: false, reason: RUN_ENDED };
      return { ok: false, reason: reasonOf(err as Error, timeoutMs) };
    }
  }

  private connectSocket(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = io(this.o.url, { transports: ['polling', 'websocket'], reconnectionDelay: 1000, reconnectionDelayMax: 5000, timeout: this.o.timeoutMs });
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`no connection in ${this.o.timeoutMs / 1000} s`));
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

/** The deployed camera's times: naive local (+07:00) with microseconds, and UTC created_at. */
function fieldTimes(): { timestamp: string; created_at: string } {
  const local = new Date(Date.now() + 7 * 3_600_000).toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1123');
  return { timestamp: local, created_at: new Date().toISOString().slice(0, 19).replace('T', ' ') };
}

/** "unreachable (ECONNREFUSED)", "timeout after 30 s", … from a fetch or socket error. */
function reasonOf(err: Error, timeoutMs?: number): string {
  if (err.name === 'TimeoutError') return `timeout after ${(timeoutMs ?? 0) / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  if (code) return `unreachable (${code})`;
  return err.message || err.name;
}
