// Store-and-forward to the cloud broker (mqtt.js). Two log consumers share one connection:
// "uplink" carries record JSON in seq order (per-camera order kept), "uplink-images" follows
// behind with images, only while the JSON lane is caught up (live-first: metadata never
// waits behind megabytes of JPEG). Cursors move only after PUBACK; mqtt.js's in-memory
// offline queue is never relied on: each connection is a fresh client, and a lost
// connection restarts both lanes from their durable cursors. A record that cannot be
// delivered as it is gets parked (PoisonGuard) instead of blocking its lane; on a slow
// link the PUBACK deadline grows with the bytes ahead, and images go within a byte window.
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { StoredRecord } from '../log/record.js';
import type { BlobStore } from '../log/blob-store.js';
import type { RecordLog } from '../log/record-log.js';
import { Backoff } from './backoff.js';
import { cloudCredentials, type CloudBrokerOptions } from './cloud-credentials.js';
import { ByteWindow } from './byte-window.js';
import { LinkWindow } from './link-window.js';
import { LogConsumer } from './log-consumer.js';
import type { ParkedRecords } from './parked-records.js';
import { PoisonGuard } from './poison-guard.js';
import { PriorityLane } from './priority-lane.js';
import { PubackTracker } from './puback-tracker.js';
import { RateLimiter } from './rate-limiter.js';
import { gatewayStatusTopic } from '../kinds/topics.js';
import { imageMessages, messageBytes, metadataMessage, type OutMessage, type OversizeMode } from './uplink-messages.js';

export interface UplinkOptions extends CloudBrokerOptions {
  topicPrefix: string;
  clientId: string;
  window: number;
  maxMessageBytes: number;
  oversizeImages: OversizeMode;
  images: boolean;
  maxRatePerSecond: number;
  /** The image lane runs only while the JSON lane's lag is at most this. */
  liveLagThreshold: number;
  /** A PUBACK missing this long means the connection is wedged: drop it and resend. */
  ackTimeoutMs: number;
}

export interface UplinkDeps {
  log: RecordLog;
  /** Where a lane sets aside what it cannot deliver (and replay finds it). */
  parked: ParkedRecords;
  blobs: BlobStore;
  logger: Logger;
  gatewayId: string;
  /** Current gateway status document (published retained on connect and on request). */
  gatewayStatus: () => Record<string, unknown>;
  /** Seqs of records that go before any backlog (alerts), oldest first or not. */
  priority?: (() => number[]) | undefined;
}


/** The broker URL without any user:password part, for logs and status. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(unparsable url)';
  }
}

export type UplinkState = 'connecting' | 'online' | 'offline' | 'stopped';

/** Image bytes in flight at most (one image of any size may always go alone). */
const IMAGE_WINDOW_BYTES = 256 * 1024;
/** The JSON lane keeps about 2 s of the link's measured rate in flight (see LinkWindow). */
const LINK_QUEUE_MS = 2000;
/** ...never fewer messages than this (unless uplink.window is smaller), re-sized this often. */
const LINK_WINDOW_MIN = 64;
const LINK_RESIZE_MS = 100;
const DONE = Promise.resolve();

export class Uplink {
  readonly meta: LogConsumer;
  readonly images: LogConsumer;
  state: UplinkState = 'offline';
  connectedSince: string | null = null;
  offlineSince: string | null = new Date().toISOString();
  lastError: string | null = null;
  lastErrorAt: string | null = null;
  private client: MqttClient | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private sleeper: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  /** After a network failure: retry soon, so the first message goes out ≤ 5 s after the broker returns. */
  private readonly quickBackoff = new Backoff(500, 3000);
  /** After the broker refused us, or a connection that delivered nothing: back off far. */
  private readonly slowBackoff = new Backoff(1000, 60_000);
  private readonly limiter: RateLimiter;
  private readonly metaGuard: PoisonGuard;
  private readonly imageGuard: PoisonGuard;
  private readonly imageWindow = new ByteWindow(IMAGE_WINDOW_BYTES);
  /** The JSON lane's window: sized to the link, under uplink.window and the broker's cap. */
  private readonly linkWindow: LinkWindow;
  /** The broker's Maximum Packet Size (MQTT 5 CONNACK), 0 = none given. */
  private brokerMaxPacket = 0;
  /** Open alerts, sent ahead of the backlog (priority-lane.ts). */
  private readonly priority: PriorityLane;
  private sessionPublish: ((m: OutMessage) => Promise<void>) | undefined;
  /** Publishes waiting for their PUBACK, each with a deadline that follows the link. */
  private readonly acks: PubackTracker;

  constructor(private readonly opts: UplinkOptions, private readonly deps: UplinkDeps) {
    this.meta = new LogConsumer({ log: deps.log, name: 'uplink', window: opts.window, logger: deps.logger });
    this.linkWindow = new LinkWindow({ min: Math.min(LINK_WINDOW_MIN, opts.window), max: opts.window, queueMs: LINK_QUEUE_MS });
    this.priority = new PriorityLane({ log: deps.log, logger: deps.logger, seqs: () => deps.priority?.() ?? [], jsonPosition: () => this.meta.position() });
    this.acks = new PubackTracker({ ackTimeoutMs: opts.ackTimeoutMs, bytesPerMs: () => this.linkWindow.bytesPerMs(), delivered: (bytes) => this.linkWindow.delivered(bytes) });
    this.images = new LogConsumer({ log: deps.log, name: 'uplink-images', window: Math.max(1, Math.min(opts.window, 8)), logger: deps.logger });
    this.limiter = new RateLimiter(opts.maxRatePerSecond);
    this.metaGuard = new PoisonGuard(deps.parked, this.meta.name, deps.logger);
    this.imageGuard = new PoisonGuard(deps.parked, this.images.name, deps.logger);
  }

  /** The consumers whose position counts as "delivered" (the image lane only when images go). */
  consumers(): LogConsumer[] {
    return this.opts.images ? [this.meta, this.images] : [this.meta];
  }

  async start(): Promise<void> {
    await this.priority.load();
    await this.meta.load();
    await this.images.load();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    // First the goodbye, while the connection is still up (stopping the lanes ends it).
    if (client?.connected) {
      // A clean goodbye: retained status says offline because of a shutdown (the will,
      // "connection lost", covers unclean ends), so the cloud can tell a stop from a crash.
      await Promise.race([
        client.publishAsync(this.topic(gatewayStatusTopic(this.deps.gatewayId)), JSON.stringify({ ...this.deps.gatewayStatus(), state: 'offline', reason: 'shutdown' }), { qos: 1, retain: true }),
        new Promise((ok) => setTimeout(ok, 2000)),
      ]).catch(() => undefined);
    }
    this.meta.stop();
    this.images.stop();
    if (this.sleeper) {
      clearTimeout(this.sleeper.timer);
      this.sleeper.resolve();
    }
    // A DISCONNECT, so the broker does not publish the will ("connection lost").
    if (client?.connected) await Promise.race([client.endAsync(false), new Promise((ok) => setTimeout(ok, 2000))]).catch(() => undefined);
    client?.end(true);
    await this.loop;
    // Publishes the ended client never settled: they count as not delivered.
    this.acks.failAll(new Error('uplink stopped'));
    await this.meta.flushCursor();
    await this.images.flushCursor();
    this.state = 'stopped';
  }

  /** Sends a parked record again (after the operator fixed its cause); unparks it once delivered. */
  async replay(seq: number): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new Error('the uplink is not connected');
    const record = await this.deps.log.get(seq);
    if (!record) throw new Error(`record ${seq} is no longer stored`);
    const parked = this.deps.parked.list();
    // The same rules as the lanes: the rate limit, and the broker's size limit checked
    // before sending (a record still too large stays parked, and the operator hears why).
    const publish = async (m: OutMessage) => {
      const limit = this.maxBytes();
      if (limit > 0 && m.bytes > limit) throw new Error(`record ${seq} is still larger than the broker's limit (${m.bytes} > ${limit} bytes)`);
      await this.limiter.take();
      await this.publishAcked(client, m.topic, m.payload, m);
    };
    for (const p of parked.filter((x) => x.seq === seq)) {
      if (p.consumer === this.meta.name) await publish(metadataMessage(record, this.opts.topicPrefix));
      else if (p.consumer === this.images.name) await this.sendImages(record, client, publish, false);
      else continue; // another upstream's (the forward's)
      await this.deps.parked.unpark(p.consumer, seq);
      this.deps.logger.info({ seq, consumer: p.consumer }, 'parked record replayed');
    }
  }

  /** Retained messages (e.g. the evidence checkpoint) re-published on every connect. */
  private readonly retained = new Map<string, string>();

  /** Publishes a retained message now if connected, and again after every reconnect. */
  async publishRetained(localTopic: string, payload: string): Promise<void> {
    this.retained.set(localTopic, payload);
    const client = this.client;
    if (client?.connected) await this.publishAcked(client, this.topic(localTopic), payload, { retain: true });
  }

  /** Publishes the retained gateway status now (if connected). */
  async publishStatus(): Promise<void> {
    const client = this.client;
    if (!client?.connected) return;
    await this.publishAcked(client, this.topic(gatewayStatusTopic(this.deps.gatewayId)), JSON.stringify(this.deps.gatewayStatus()), { retain: true })
      .catch((err: Error) => {
        this.lastError = err.message;
      });
  }

  /** A QoS 1 publish that fails when its PUBACK does not come in time (puback-tracker.ts). */
  private publishAcked(client: MqttClient, topic: string, payload: Buffer | string, opts: { retain: boolean; recordId?: string; bytes?: number }): Promise<void> {
    return this.acks.track(topic, opts.bytes ?? messageBytes(topic, payload), (done) => client.publish(topic, payload, {
      qos: 1, retain: opts.retain,
      ...(this.opts.protocolVersion === 5 && opts.recordId
        ? { properties: { userProperties: { record_id: opts.recordId, gateway_id: this.deps.gatewayId } } }
        : {}),
    }, (err) => done(err ?? undefined)));
  }

  /** The broker's message size limit in force: the smaller of config and CONNACK. */
  private maxBytes(): number {
    const limits = [this.opts.maxMessageBytes, this.brokerMaxPacket].filter((n) => n > 0);
    return limits.length ? Math.min(...limits) : 0;
  }

  private topic(t: string): string {
    return this.opts.topicPrefix + t;
  }

  private clientOptions(): IClientOptions {
    const will = JSON.stringify({ state: 'offline', gateway_id: this.deps.gatewayId, reason: 'connection lost' });
    return {
      ...cloudCredentials(this.opts),
      clientId: this.opts.clientId, clean: true, reconnectPeriod: 0,
      will: { topic: this.topic(gatewayStatusTopic(this.deps.gatewayId)), payload: Buffer.from(will), qos: 1, retain: true },
    };
  }

  private async run(): Promise<void> {
    const { logger } = this.deps;
    // Loaded here, not at import: a gateway without an uplink never holds mqtt.js in memory.
    const { connect } = await import('./mqtt-connect.js');
    while (!this.stopped) {
      this.state = 'connecting';
      const client = connect(this.opts.url, this.clientOptions());
      this.client = client;
      let refused = false;
      client.on('error', (err) => {
        this.lastError = err.message;
        this.lastErrorAt = new Date().toISOString();
        // A CONNACK refusal carries a numeric code; a network error a string one.
        if (typeof (err as { code?: unknown }).code === 'number') refused = true;
      });
      const connack = await new Promise<{ properties?: { maximumPacketSize?: number; receiveMaximum?: number } } | undefined>((ok) => {
        client.once('connect', (packet) => ok(packet));
        client.once('close', () => ok(undefined));
      });
      if (!connack || this.stopped) {
        client.end(true);
        if (!this.stopped) {
          this.goOffline();
          const delay = (refused ? this.slowBackoff : this.quickBackoff).next();
          logger.warn({ url: safeUrl(this.opts.url), err: this.lastError, retryInMs: delay }, 'uplink connect failed');
          await this.sleep(delay);
        }
        continue;
      }
      this.applyConnack(connack.properties);
      // mqtt.js leaves Nagle on: small publishes then wait for the broker's TCP ACKs, and
      // the drain idles. (TLS sockets have setNoDelay too.)
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      this.state = 'online';
      this.connectedSince = new Date().toISOString();
      const outage = this.offlineSince ? Date.now() - Date.parse(this.offlineSince) : 0;
      this.offlineSince = null;
      const backlog = this.meta.lag();
      const [oldest] = backlog > 0 ? await this.deps.log.readAfter(this.meta.position(), 1).catch(() => []) : [];
      const s = this.deps.log.stats();
      logger.info({
        url: safeUrl(this.opts.url), cursor: this.meta.position(), offline_ms: outage, backlog_records: backlog,
        backlog_bytes: s.records > 0 ? Math.round((backlog * s.bytes) / s.records) : 0, backlog_oldest: oldest?.received_at ?? null,
      }, 'uplink connected');
      void this.publishStatus();
      for (const [t, payload] of this.retained) void this.publishAcked(client, this.topic(t), payload, { retain: true }).catch(() => undefined);
      const before = { meta: this.meta.position(), images: this.images.position() };
      await this.session(client, backlog);
      if (!this.stopped) client.end(true); // stop() says goodbye itself
      this.connectedSince = null;
      const progress = { meta: this.meta.position() > before.meta, images: this.images.position() > before.images };
      this.metaGuard.connectionEnded(this.meta.position() + 1, progress.meta);
      if (this.opts.images) this.imageGuard.connectionEnded(this.images.position() + 1, progress.images);
      if (!this.stopped) {
        this.goOffline();
        // Delivered something, or had nothing to deliver: the broker is fine, come back soon.
        // Otherwise (connected, sent, nothing confirmed) back off far: no reconnect storm.
        const stuck = !progress.meta && !progress.images && (this.meta.lag() > 0 || (this.opts.images && this.images.lag() > 0));
        if (!stuck) {
          this.quickBackoff.reset();
          this.slowBackoff.reset();
        }
        const delay = (stuck ? this.slowBackoff : this.quickBackoff).next();
        logger.warn({ err: this.lastError, retryInMs: delay, backlog_records: this.meta.lag() }, 'uplink connection lost');
        await this.sleep(delay);
      }
    }
  }

  /** A new priority record (an alert): sent now, ahead of whatever backlog the lanes have. */
  pokePriority(): void {
    const publish = this.sessionPublish;
    if (!publish || this.meta.lag() === 0) return; // caught up: the JSON lane sends it at once anyway
    void this.priority.run((r) => publish(metadataMessage(r, this.opts.topicPrefix)));
  }

  private goOffline(): void {
    this.state = 'offline';
    this.offlineSince ??= new Date().toISOString();
  }

  /** MQTT 5: honour the broker's Maximum Packet Size and Receive Maximum. */
  private applyConnack(props: { maximumPacketSize?: number; receiveMaximum?: number } | undefined): void {
    this.brokerMaxPacket = props?.maximumPacketSize ?? 0;
    const receiveMax = props?.receiveMaximum ?? 65_535;
    const imageWindow = this.opts.images ? Math.max(1, Math.min(this.opts.window, 8, Math.floor(receiveMax / 4))) : 0;
    this.images.setWindow(Math.max(1, imageWindow));
    // The status publish may be in flight too: keep one slot for it.
    this.linkWindow.setMax(Math.max(1, Math.min(this.opts.window, receiveMax - imageWindow - 1)));
    this.meta.setWindow(this.linkWindow.window);
  }

  /** Runs both lanes until the connection closes or the uplink stops. */
  private async session(client: MqttClient, backlogAtConnect: number): Promise<void> {
    const closed = new Promise<void>((ok) => client.once('close', () => ok()));
    this.acks.newConnection();
    this.metaGuard.newConnection();
    this.imageGuard.newConnection();
    const publish = (m: OutMessage): Promise<void> => {
      const send = () => this.publishAcked(client, m.topic, m.payload, m);
      return this.limiter.take()?.then(send) ?? send();
    };
    const started = Date.now();
    let draining = backlogAtConnect > 0;
    // Alerts first: after an outage they go before the backlog of detections and images.
    await this.priority.run((r) => publish(metadataMessage(r, this.opts.topicPrefix)));
    this.sessionPublish = publish;
    const drained = () => {
      if (draining && this.meta.lag() === 0) {
        draining = false;
        this.deps.logger.info({ records: backlogAtConnect, took_ms: Date.now() - started }, 'uplink backlog drained');
      }
    };
    const refused = async (r: StoredRecord, err: unknown) => {
      if (!(await this.metaGuard.refused(r, err))) throw err;
      drained();
    };
    // Not an async function: this runs per message of a drain, and every await is a promise.
    this.linkWindow.resetRate();
    const resizing = setInterval(() => this.meta.setWindow(this.linkWindow.resize()), LINK_RESIZE_MS);
    const delivered = () => {
      this.linkWindow.acked();
      drained();
    };
    const metaRun = this.meta.run((r) => {
      if (this.priority.sent(r)) return DONE;
      const m = metadataMessage(r, this.opts.topicPrefix);
      const parking = this.metaGuard.screen(r, m.bytes, this.maxBytes());
      if (parking) return parking;
      return publish(m).then(delivered, (err: unknown) => refused(r, err));
    });
    const imageRun = this.opts.images ? this.images.run((r) => this.sendImages(r, client, publish, true)) : Promise.resolve();
    const lanes = Promise.allSettled([metaRun, imageRun]).then((results) => {
      for (const r of results) {
        if (r.status === 'rejected') {
          this.lastError = String((r.reason as Error)?.message ?? r.reason);
          this.lastErrorAt = new Date().toISOString();
        }
      }
    });
    // A lane that failed (e.g. a PUBACK timeout) ends the session: reconnect and resend.
    void Promise.race([metaRun, imageRun]).catch(() => client.end(true));
    await Promise.race([closed, lanes]).finally(() => clearInterval(resizing));
    this.sessionPublish = undefined;
    this.meta.stop();
    this.images.stop();
    await lanes;
  }

  private async sendImages(r: StoredRecord, client: MqttClient, publish: (m: OutMessage) => Promise<void>, live: boolean): Promise<void> {
    if (r.images.length === 0) return;
    // Images follow their record's JSON and wait while the JSON lane has a backlog: woken
    // when that lane moves (at most a second apart, to notice a closed connection).
    while (live && (this.meta.position() < r.seq || this.meta.lag() > this.opts.liveLagThreshold)) {
      if (this.stopped || !client.connected) throw new Error('uplink connection closed');
      await this.meta.advanced(1000);
    }
    for (const image of r.images) {
      if (image.evicted) continue;
      const data = await this.deps.blobs.read(image.sha256);
      if (!data) {
        // Reported, never fatal: the record's JSON (with the image reference) already went.
        this.deps.logger.warn({ seq: r.seq, id: r.id, image: image.name, sha256: image.sha256 }, 'image file missing; not sent upstream');
        continue;
      }
      for (const m of imageMessages(r, image, data, this.opts.topicPrefix, this.maxBytes(), this.opts.oversizeImages)) {
        const parking = live ? this.imageGuard.screen(r, m.bytes, this.maxBytes()) : undefined;
        if (parking) return parking;
        await this.imageWindow.acquire(m.bytes);
        try {
          await publish(m);
        } catch (err) {
          if (live && (await this.imageGuard.refused(r, err))) return;
          throw err;
        } finally {
          this.imageWindow.release(m.bytes);
        }
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.sleeper = undefined;
        resolve();
      }, ms);
      this.sleeper = { timer, resolve };
    });
  }
}
