// The forward upstream: every record of the log, from its own durable cursor, to an
// existing central LPR server over the cameras' own protocol — so a checkpoint puts the
// gateway in front of that server without touching it, and nothing is lost while the link
// or the server is down (store and forward). Beside the MQTT uplink; either, both or
// neither may be on. Invariants:
//  - the cursor moves only over records the server confirmed (or that were parked);
//  - one record per camera in flight, so each camera's records arrive in log order; at
//    most `window` in flight in all, which bounds re-sends after a crash or reconnect
//    (the central server gives every message a new id: it cannot de-duplicate);
//  - a record the server refuses for good (4xx, or refused three times) is parked with the
//    server's message (lpr-gateway parked list), and the rest flows on;
//  - errors (no answer, 5xx, connection refused) are retried with backoff and jitter, at
//    most 4 s apart, so delivery resumes within seconds of the server coming back.
// Transport: auto = Socket.IO first, one connection per camera (the server sees the camera
// connected, and gone when the gateway sees it offline); REST while Socket.IO cannot
// connect, trying Socket.IO again every forward.socketioRetry (30 s) — as the cameras' own
// sender does.
import type { Logger } from 'pino';
import type { BlobStore } from '../../log/blob-store.js';
import type { StoredRecord, StatusData } from '../../log/record.js';
import type { RecordLog } from '../../log/record-log.js';
import { Backoff } from '../backoff.js';
import { LogConsumer } from '../log-consumer.js';
import type { ParkedRecords } from '../parked-records.js';
import { ForwardError, type CentralAnswer } from './central-answer.js';
import { createRestSender, type RestSender } from './central-rest.js';
import { CameraSocketLink } from './camera-socket-link.js';
import { forwarded, forwardMessage, registration, type ForwardMessage } from './forward-message.js';

export interface ForwardOptions {
  url: string;
  transport: 'auto' | 'socketio' | 'rest';
  headers: Record<string, string>;
  ca?: Buffer | undefined;
  window: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  /** While on REST (auto), how often Socket.IO is tried again. */
  socketioRetryMs: number;
}

export interface ForwardDeps {
  log: RecordLog;
  /** Where a refused record is set aside (FORWARD_CONSUMER's entries). */
  parked: ParkedRecords;
  blobs: BlobStore;
  logger: Logger;
}

export type ForwardState = 'connecting' | 'online' | 'offline' | 'stopped';

/** The consumer name: its cursor key, and the parked list's consumer. */
export const FORWARD_CONSUMER = 'forward';
/** A refusal that is not final by its nature (Socket.IO has no status codes) parks at the third. */
const REFUSALS_TO_PARK = 3;

export class Forwarder {
  readonly consumer: LogConsumer;
  state: ForwardState = 'connecting';
  /** The transport the last message went over. */
  transportInUse: 'socketio' | 'rest' | null = null;
  connectedSince: string | null = null;
  offlineSince: string | null = null;
  lastError: string | null = null;
  lastErrorAt: string | null = null;
  /** Messages the server confirmed, and attempts that failed, since start. */
  delivered = 0;
  failures = 0;

  private readonly rest: RestSender;
  private readonly links = new Map<string, Promise<CameraSocketLink>>();
  /** Cameras registered over REST since the forward fell back to it. */
  private readonly restRegistered = new Set<string>();
  /** Per camera, the tail of its delivery chain (one record in flight each). */
  private readonly chains = new Map<string, Promise<void>>();
  private socketRetryAt = 0;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly wakeups = new Set<() => void>();

  constructor(private readonly o: ForwardOptions, private readonly deps: ForwardDeps) {
    this.consumer = new LogConsumer({ log: deps.log, name: FORWARD_CONSUMER, window: o.window, logger: deps.logger });
    this.rest = createRestSender({ url: o.url, headers: o.headers, ca: o.ca, timeoutMs: o.timeoutMs });
    if (o.transport === 'rest') this.socketRetryAt = Number.POSITIVE_INFINITY;
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    this.consumer.stop();
    for (const wake of this.wakeups) wake();
    for (const link of this.links.values()) void link.then((l) => l.close(), () => undefined);
    this.links.clear();
    this.rest.close(); // a request under way ends now, not at its timeout (stop has 10 s)
    await this.running;
    await Promise.allSettled([...this.chains.values()]);
  }

  /** Records parked for the forward (refused by the server). */
  parkedCount(): number {
    return this.deps.parked.count(FORWARD_CONSUMER);
  }

  /** For /api/statistics, the retained status, the status page and `lpr-gateway status`. */
  status(): Record<string, unknown> {
    return {
      state: this.state, url: safeServerUrl(this.o.url), transport: this.transportInUse, connected_since: this.connectedSince,
      offline_since: this.offlineSince, last_error: this.lastError, last_error_at: this.lastErrorAt,
      parked: this.parkedCount(), delivered: this.delivered, window: this.o.window,
    };
  }

  /** Sends a parked record again (the operator fixed its cause); unparks it once delivered. */
  async replay(seq: number): Promise<void> {
    if (!this.deps.parked.list(FORWARD_CONSUMER).some((p) => p.seq === seq)) return;
    const record = await this.deps.log.get(seq);
    if (!record) throw new Error(`record ${seq} is no longer stored`);
    const m = await forwardMessage(record, this.deps.blobs);
    const answer = m ? await this.transmit(m) : { ok: true as const };
    if (!answer.ok) throw new Error(`the central server refused it again: ${answer.message}`);
    await this.deps.parked.unpark(FORWARD_CONSUMER, seq);
    this.deps.logger.info({ seq }, 'forward: parked record replayed');
  }

  private async loop(): Promise<void> {
    const backoff = new Backoff(250, 4000);
    while (!this.stopped) {
      try {
        await this.consumer.run((r) => this.send(r));
        backoff.reset();
      } catch (err) {
        if (this.stopped) break;
        this.noteError(err);
        await this.sleep(backoff.next());
      }
    }
  }

  /** Called by the consumer in log order; resolves once the record is delivered or parked. */
  private send(r: StoredRecord): Promise<void> {
    if (r.kind === 'status') {
      // The gateway saw the camera go: so does the server (its connection ends).
      if ((r.data as unknown as StatusData).state === 'offline') this.after(r.camera_id, () => this.closeLink(r.camera_id));
      return Promise.resolve();
    }
    if (!forwarded(r.kind)) return Promise.resolve();
    // Built now (images read from their files), sent when the camera's turn comes: the
    // next message is ready while the one before it is in flight (at most `window` held).
    const message = forwardMessage(r, this.deps.blobs);
    message.catch(() => undefined); // awaited, and its error handled, in deliver()
    return this.after(r.camera_id, () => this.deliver(r, message));
  }

  /** Runs `fn` after everything queued for this camera (its records stay in order). */
  private after(cameraId: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(cameraId) ?? Promise.resolve()).then(fn);
    const tail = next.catch(() => undefined);
    this.chains.set(cameraId, tail);
    void tail.then(() => {
      if (this.chains.get(cameraId) === tail) this.chains.delete(cameraId);
    });
    return next;
  }

  private async deliver(r: StoredRecord, message: Promise<ForwardMessage | undefined>): Promise<void> {
    const m = await message;
    if (!m) return;
    const backoff = new Backoff(250, 4000);
    let refusals = 0;
    for (;;) {
      if (this.stopped) throw new Error('forward stopped');
      let answer: CentralAnswer;
      try {
        answer = await this.transmit(m);
      } catch (err) {
        if (this.stopped) throw err;
        this.noteError(err);
        await this.sleep(backoff.next());
        continue;
      }
      this.online();
      if (answer.ok) {
        this.delivered += 1;
        return;
      }
      refusals += 1;
      this.noteError(new Error(`${m.event} refused: ${answer.message}`), false);
      if (answer.permanent || refusals >= REFUSALS_TO_PARK) return this.park(r, answer.message);
      await this.sleep(backoff.next());
    }
  }

  /** Over Socket.IO when it can connect (transport auto or socketio), else over REST. */
  private async transmit(m: ForwardMessage): Promise<CentralAnswer> {
    if (this.o.transport !== 'rest' && Date.now() >= this.socketRetryAt) {
      try {
        const link = await this.linkFor(m.camera_id, m.checkpoint_id);
        this.transportInUse = 'socketio';
        return await link.send(m, this.o.timeoutMs);
      } catch (err) {
        if (!(err instanceof ForwardError && err.connect) || this.o.transport === 'socketio') throw err;
        // Socket.IO cannot connect: REST now, Socket.IO again in a while.
        if (this.transportInUse !== 'rest') this.deps.logger.warn({ err: err.message }, 'forward: Socket.IO cannot connect; sending over REST');
        this.socketRetryAt = Date.now() + this.o.socketioRetryMs;
        this.restRegistered.clear();
      }
    }
    this.transportInUse = 'rest';
    if (!this.restRegistered.has(m.camera_id)) {
      const reg = await this.rest(registration(m.camera_id, m.checkpoint_id));
      if (reg.ok) this.restRegistered.add(m.camera_id);
    }
    return this.rest(m);
  }

  private linkFor(cameraId: string, checkpointId: string): Promise<CameraSocketLink> {
    const known = this.links.get(cameraId);
    if (known) {
      return known.then((link) => {
        if (link.open) return link;
        this.links.delete(cameraId);
        return this.linkFor(cameraId, checkpointId);
      });
    }
    const opening = CameraSocketLink.open({
      url: this.o.url, headers: this.o.headers, ca: this.o.ca, connectTimeoutMs: this.o.connectTimeoutMs, timeoutMs: this.o.timeoutMs,
    }, cameraId, checkpointId);
    this.links.set(cameraId, opening);
    opening.catch(() => {
      if (this.links.get(cameraId) === opening) this.links.delete(cameraId);
    });
    return opening.then((link) => {
      if (this.stopped) link.close();
      return link;
    });
  }

  private async closeLink(cameraId: string): Promise<void> {
    const link = this.links.get(cameraId);
    this.links.delete(cameraId);
    this.restRegistered.delete(cameraId);
    if (link) (await link.catch(() => undefined))?.close();
  }

  private async park(r: StoredRecord, message: string): Promise<void> {
    await this.deps.parked.park({ consumer: FORWARD_CONSUMER, seq: r.seq, id: r.id, reason: 'refused', detail: message, at: new Date().toISOString() });
    this.deps.logger.warn({ seq: r.seq, id: r.id, camera_id: r.camera_id, reason: message }, 'forward: the central server refused a record; parked (lpr-gateway parked list)');
  }

  private online(): void {
    if (this.state !== 'online') {
      this.state = 'online';
      this.connectedSince = new Date().toISOString();
      this.offlineSince = null;
      this.deps.logger.info({ transport: this.transportInUse }, 'forward: central server reachable');
    }
  }

  private noteError(err: unknown, offline = true): void {
    const message = err instanceof Error ? err.message : String(err);
    this.failures += 1;
    this.lastError = message;
    this.lastErrorAt = new Date().toISOString();
    if (offline && this.state !== 'offline' && !this.stopped) {
      this.state = 'offline';
      this.offlineSince = this.lastErrorAt;
      this.connectedSince = null;
      this.deps.logger.warn({ err: message }, 'forward: central server unreachable; records wait in the log');
    }
  }

  /** Sleeps, unless stop() comes first. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeups.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeups.add(done);
    });
  }
}

/** The server's URL without credentials, for logs and status. */
export function safeServerUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '';
  }
}
