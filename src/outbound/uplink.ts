// Store-and-forward to the cloud broker (mqtt.js). Two log consumers share one connection:
// "uplink" carries record JSON in seq order (per-camera order kept), "uplink-images" follows
// behind with images, only while the JSON lane is caught up (live-first: metadata never
// waits behind megabytes of JPEG). Cursors move only after PUBACK; mqtt.js's in-memory
// offline queue is never relied on: each connection is a fresh client, and a lost
// connection restarts both lanes from their durable cursors.
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { StoredRecord } from '../log/record.js';
import type { BlobStore } from '../log/blob-store.js';
import type { RecordLog } from '../log/record-log.js';
import { Backoff } from './backoff.js';
import { LogConsumer } from './log-consumer.js';
import { RateLimiter } from './rate-limiter.js';
import { gatewayStatusTopic } from './topics.js';
import { imageMessages, metadataMessage, type OutMessage, type OversizeMode } from './uplink-messages.js';

export interface UplinkOptions {
  url: string;
  username: string;
  password: string;
  topicPrefix: string;
  clientId: string;
  protocolVersion: 4 | 5;
  ca: string;
  cert: string;
  key: string;
  window: number;
  maxMessageBytes: number;
  oversizeImages: OversizeMode;
  images: boolean;
  maxRatePerSecond: number;
  /** The image lane runs only while the JSON lane's lag is at most this. */
  liveLagThreshold: number;
  connectTimeoutMs: number;
  /** A PUBACK missing this long means the connection is wedged: drop it and resend. */
  ackTimeoutMs: number;
}

export interface UplinkDeps {
  log: RecordLog;
  blobs: BlobStore;
  logger: Logger;
  gatewayId: string;
  /** Current gateway status document (published retained on connect and on request). */
  gatewayStatus: () => Record<string, unknown>;
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

export class Uplink {
  readonly meta: LogConsumer;
  readonly images: LogConsumer;
  state: UplinkState = 'offline';
  connectedSince: string | null = null;
  lastError: string | null = null;
  private client: MqttClient | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private sleeper: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  private readonly backoff = new Backoff(1000, 60_000);
  private readonly limiter: RateLimiter;

  constructor(private readonly opts: UplinkOptions, private readonly deps: UplinkDeps) {
    this.meta = new LogConsumer({ log: deps.log, name: 'uplink', window: opts.window, logger: deps.logger });
    this.images = new LogConsumer({ log: deps.log, name: 'uplink-images', window: Math.max(1, Math.min(opts.window, 8)), logger: deps.logger });
    this.limiter = new RateLimiter(opts.maxRatePerSecond);
  }

  async start(): Promise<void> {
    await this.meta.load();
    await this.images.load();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.meta.stop();
    this.images.stop();
    if (this.sleeper) {
      clearTimeout(this.sleeper.timer);
      this.sleeper.resolve();
    }
    const client = this.client;
    if (client?.connected) {
      // A clean goodbye: retained status says offline (the will covers unclean ends).
      await Promise.race([
        client.publishAsync(this.topic(gatewayStatusTopic(this.deps.gatewayId)), JSON.stringify({ ...this.deps.gatewayStatus(), state: 'offline' }), { qos: 1, retain: true }),
        new Promise((ok) => setTimeout(ok, 2000)),
      ]).catch(() => undefined);
    }
    client?.end(true);
    await this.loop;
    await this.meta.flushCursor();
    await this.images.flushCursor();
    this.state = 'stopped';
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

  /** QoS 1 publish that fails when its PUBACK does not come within ackTimeout. */
  private async publishAcked(client: MqttClient, topic: string, payload: Buffer | string, opts: { retain: boolean; recordId?: string }): Promise<void> {
    const acked = client.publishAsync(topic, payload, {
      qos: 1, retain: opts.retain,
      ...(this.opts.protocolVersion === 5 && opts.recordId
        ? { properties: { userProperties: { record_id: opts.recordId, gateway_id: this.deps.gatewayId } } }
        : {}),
    });
    // mqtt.js never times out a QoS 1 publish; a lost PUBACK would hold the window forever.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`no PUBACK for ${topic} in ${this.opts.ackTimeoutMs} ms`)), this.opts.ackTimeoutMs);
    });
    try {
      await Promise.race([acked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private topic(t: string): string {
    return this.opts.topicPrefix + t;
  }

  private clientOptions(): IClientOptions {
    const o = this.opts;
    const will = JSON.stringify({ state: 'offline', gateway_id: this.deps.gatewayId, reason: 'connection lost' });
    return {
      clientId: o.clientId, clean: true, reconnectPeriod: 0, connectTimeout: o.connectTimeoutMs, keepalive: 30,
      protocolVersion: o.protocolVersion,
      username: o.username || undefined, password: o.password || undefined,
      ca: o.ca ? readFileSync(o.ca) : undefined, cert: o.cert ? readFileSync(o.cert) : undefined, key: o.key ? readFileSync(o.key) : undefined,
      rejectUnauthorized: true,
      will: { topic: this.topic(gatewayStatusTopic(this.deps.gatewayId)), payload: Buffer.from(will), qos: 1, retain: true },
    };
  }

  private async run(): Promise<void> {
    const { logger } = this.deps;
    while (!this.stopped) {
      this.state = 'connecting';
      const client = mqtt.connect(this.opts.url, this.clientOptions());
      this.client = client;
      client.on('error', (err) => {
        this.lastError = err.message;
      });
      const connected = await new Promise<boolean>((ok) => {
        client.once('connect', () => ok(true));
        client.once('close', () => ok(false));
      });
      if (!connected || this.stopped) {
        client.end(true);
        if (!this.stopped) {
          this.state = 'offline';
          const delay = this.backoff.next();
          logger.warn({ url: safeUrl(this.opts.url), err: this.lastError, retryInMs: delay }, 'uplink connect failed');
          await this.sleep(delay);
        }
        continue;
      }
      this.backoff.reset();
      this.state = 'online';
      this.connectedSince = new Date().toISOString();
      logger.info({ url: safeUrl(this.opts.url), cursor: this.meta.position(), backlog: this.meta.lag() }, 'uplink connected');
      void this.publishStatus();
      await this.session(client);
      client.end(true);
      this.connectedSince = null;
      if (!this.stopped) {
        this.state = 'offline';
        const delay = this.backoff.next();
        logger.warn({ err: this.lastError, retryInMs: delay, backlog: this.meta.lag() }, 'uplink connection lost');
        await this.sleep(delay);
      }
    }
  }

  /** Runs both lanes until the connection closes or the uplink stops. */
  private async session(client: MqttClient): Promise<void> {
    const closed = new Promise<void>((ok) => client.once('close', () => ok()));
    const publish = async (m: OutMessage) => {
      await this.limiter.take();
      await this.publishAcked(client, m.topic, m.payload, { retain: m.retain, recordId: m.recordId });
    };
    const metaRun = this.meta.run(async (r) => {
      const m = metadataMessage(r, this.deps.gatewayId, this.opts.topicPrefix);
      if (m) await publish(m);
    });
    const imageRun = this.opts.images ? this.images.run((r) => this.sendImages(r, client, publish)) : Promise.resolve();
    const lanes = Promise.allSettled([metaRun, imageRun]).then((results) => {
      for (const r of results) if (r.status === 'rejected') this.lastError = String((r.reason as Error)?.message ?? r.reason);
    });
    // A lane that failed (e.g. a PUBACK timeout) ends the session: reconnect and resend.
    void Promise.race([metaRun, imageRun]).catch(() => client.end(true));
    await Promise.race([closed, lanes]);
    this.meta.stop();
    this.images.stop();
    await lanes;
  }

  private async sendImages(r: StoredRecord, client: MqttClient, publish: (m: OutMessage) => Promise<void>): Promise<void> {
    if (r.images.length === 0) return;
    // Images follow their record's JSON and wait while the JSON lane has a backlog.
    while (this.meta.position() < r.seq || this.meta.lag() > this.opts.liveLagThreshold) {
      if (this.stopped || !client.connected) throw new Error('uplink connection closed');
      await new Promise((ok) => setTimeout(ok, 100));
    }
    for (const image of r.images) {
      if (image.evicted) continue;
      const data = await this.deps.blobs.read(image.sha256);
      if (!data) {
        // Reported, never fatal: the record's JSON (with the image reference) already went.
        this.deps.logger.warn({ seq: r.seq, id: r.id, image: image.name, sha256: image.sha256 }, 'image file missing; not sent upstream');
        continue;
      }
      for (const m of imageMessages(r, image, data, this.opts.topicPrefix, this.opts.maxMessageBytes, this.opts.oversizeImages)) {
        await publish(m);
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
