// Messages the cloud sends down to this gateway (the hotlist), on a connection of their
// own: a persistent session (clean=false, client id <uplink id>-in), so what the centre
// changes while we are offline — removals too — waits at the broker. Kept apart from the
// uplink, whose publishing connection stays a clean session: with one persistent session
// for both, Mosquitto PUBACKed yet never forwarded 29 of 3,000 records re-sent after a
// kill -9 (uplink-crash.test.ts) — in-flight packet ids of the old session, reused by the
// fresh client, were most likely taken for duplicates.
// Each message is acknowledged (PUBACK) only after the inbox has stored it.
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { cloudCredentials, type CloudBrokerOptions } from './cloud-credentials.js';

export interface Inbox {
  topics(): string[];
  /** Resolves once the message is durable here; rejects when it could not be stored. */
  receive(topic: string, payload: Buffer): Promise<void>;
}

export interface DownlinkOptions extends CloudBrokerOptions {
  clientId: string;
  /** Wait between connection attempts. */
  reconnectMs?: number;
}

/** How long the cloud broker keeps our session (MQTT 5) while we are away: a week. */
const SESSION_EXPIRY_S = 7 * 86_400;

export class CloudDownlink {
  private client: MqttClient | undefined;
  state: 'connecting' | 'online' | 'offline' | 'stopped' = 'offline';
  received = 0;
  private lastError: string | undefined;

  constructor(private readonly opts: DownlinkOptions, private readonly inbox: Inbox, private readonly logger: Logger) {}

  async start(): Promise<void> {
    const { connect } = await import('./mqtt-connect.js');
    const o = this.opts;
    this.state = 'connecting';
    const client = connect(o.url, {
      ...cloudCredentials(o), clientId: o.clientId, clean: false, reconnectPeriod: o.reconnectMs ?? 5000,
      // Subscriptions live in the session: subscribing again on every reconnect would bring
      // every retained entry again (100,000 of them on a weak link).
      resubscribe: false,
      ...(o.protocolVersion === 5 ? { properties: { sessionExpiryInterval: SESSION_EXPIRY_S } } : {}),
    });
    this.client = client;
    client.handleMessage = (packet, done) => {
      if (packet.cmd !== 'publish') return done();
      this.inbox.receive(packet.topic, Buffer.from(packet.payload)).then(() => {
        this.received += 1;
        done();
      }, (err: Error) => {
        // Not acknowledged: the session brings it again after the reconnect.
        this.logger.warn({ err, topic: packet.topic }, 'could not store a message from the cloud; reconnecting to get it again');
        done(err);
        client.stream.destroy();
      });
    };
    client.on('connect', (connack) => {
      this.state = 'online';
      this.lastError = undefined;
      if (!connack.sessionPresent) void this.subscribe(client);
    });
    client.on('close', () => {
      if (this.state === 'online') this.logger.warn({ err: this.lastError }, 'cloud hotlist connection lost; reconnecting');
      if (this.state !== 'stopped') this.state = 'offline';
    });
    client.on('error', (err) => {
      // Said once per distinct error, not on every reconnect attempt.
      if (err.message !== this.lastError) this.logger.warn({ err: err.message }, 'cloud hotlist connection failed; retrying');
      this.lastError = err.message;
    });
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    const client = this.client;
    if (!client) return;
    await Promise.race([client.endAsync(false), new Promise((ok) => setTimeout(ok, 2000))]).catch(() => undefined);
    client.end(true);
  }

  private async subscribe(client: MqttClient): Promise<void> {
    try {
      const granted = await client.subscribeAsync(this.inbox.topics(), { qos: 1 });
      const refused = granted.filter((g) => g.qos > 2).map((g) => g.topic);
      if (refused.length) this.logger.warn({ topics: refused }, 'cloud broker refused the hotlist subscription');
      else this.logger.info({ topics: this.inbox.topics() }, 'subscribed to the cloud hotlist');
    } catch (err) {
      this.logger.warn({ err }, 'subscribing to the cloud hotlist failed');
    }
  }
}
