// The embedded MQTT broker (aedes) for LAN subscribers, with persistent sessions in its own
// LevelDB under the data dir (aedes-persistence-level), so QoS 1 messages queued for a
// clean-session=false subscriber survive a gateway restart.
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import persistenceLevel from 'aedes-persistence-level';
import mqttPacket from 'mqtt-packet';
import { Level } from 'level';
import type { Logger } from 'pino';
import { listenOn } from '../listen-on.js';
import { GATEWAY_TOPIC_ROOT } from '../kinds/topics.js';
import { verifyPassword } from '../auth/password.js';
import { filterCovered, isReservedTopic, topicMatches, type BrokerUser } from '../auth/broker-access.js';

export interface LocalBrokerOptions {
  host: string;
  port: number;
  /** Optional TLS listener (PEM contents). */
  tls?: { port: number; cert: Buffer; key: Buffer } | undefined;
  location: string;
  allowAnonymous: boolean;
  users: BrokerUser[];
  logger: Logger;
}

export interface PublishOptions {
  retain?: boolean;
  qos?: 0 | 1;
}

// aedes and mqtt.js share one mqtt-packet, which by default builds a cache of all 65,536
// two-byte packet ids as Buffers on its first write: about 7 MB of heap held for good, on a
// box whose idle budget is 80 MB. Without it each packet id is written from a fresh 2-byte
// Buffer, which costs nothing measurable (bench:uplink drain).
mqttPacket.writeToStream.cacheNumbers = false;

const ANONYMOUS_SUBSCRIBE = [`${GATEWAY_TOPIC_ROOT}/#`];

export class LocalBroker {
  private broker: Aedes | undefined;
  private server: Server | undefined;
  private tlsServer: Server | undefined;
  private db: Level<string, unknown> | undefined;

  constructor(private readonly opts: LocalBrokerOptions) {}

  get aedes(): Aedes {
    if (!this.broker) throw new Error('broker not started');
    return this.broker;
  }

  address(): AddressInfo | undefined {
    return this.server?.address() as AddressInfo | undefined;
  }

  async start(): Promise<void> {
    const { logger } = this.opts;
    this.db = new Level<string, unknown>(this.opts.location, { valueEncoding: 'json' });
    await this.db.open();
    const users = new Map(this.opts.users.map((u) => [u.username, u]));
    const userOf = (client: Client | null): BrokerUser | undefined =>
      client ? users.get((client as Client & { lprUser?: string }).lprUser ?? '') : undefined;

    this.broker = await Aedes.createBroker({
      persistence: persistenceLevel(this.db),
      authenticate: (client, username, password, done) => {
        if (username === undefined) {
          if (this.opts.allowAnonymous) return done(null, true);
          return done(authError('anonymous clients are not allowed'), false);
        }
        const user = users.get(username);
        // scrypt in the thread pool: a broker login must not hold camera acks (auth/password.ts).
        const checked = user && password ? verifyPassword(password.toString('utf8'), user.passwordHash) : Promise.resolve(false);
        void checked.then((ok) => {
          if (ok) {
            (client as Client & { lprUser?: string }).lprUser = username;
            return done(null, true);
          }
          logger.warn({ clientId: client.id, username }, 'mqtt login refused');
          return done(authError('bad user name or password'), false);
        });
      },
      authorizePublish: (client, packet, done) => {
        // client === null: the gateway's own publish.
        if (client === null) return done(null);
        if (isReservedTopic(packet.topic, GATEWAY_TOPIC_ROOT)) {
          logger.warn({ clientId: client.id, topic: packet.topic }, 'mqtt publish into a reserved topic refused');
          return done(new Error(`publishing to ${packet.topic} is not allowed`));
        }
        const user = userOf(client);
        if (user?.publish.some((f) => topicMatches(f, packet.topic))) return done(null);
        logger.warn({ clientId: client.id, topic: packet.topic }, 'mqtt publish refused');
        return done(new Error('not allowed to publish'));
      },
      authorizeSubscribe: (client, sub, done) => {
        const allowed = userOf(client)?.subscribe ?? ANONYMOUS_SUBSCRIBE;
        if (allowed.some((a) => filterCovered(a, sub.topic))) return done(null, sub);
        logger.warn({ clientId: client.id, topic: sub.topic }, 'mqtt subscription refused');
        return done(new Error(`not allowed to subscribe to ${sub.topic}`));
      },
    });
    this.broker.on('clientError', (client, err) => logger.debug({ clientId: client.id, err: err.message }, 'mqtt client error'));
    this.broker.on('connectionError', (_client, err) => logger.debug({ err: err.message }, 'mqtt connection error'));

    const server = createServer((socket) => this.broker!.handle(socket));
    this.server = server;
    await listenOn(server, this.opts.port, this.opts.host, 'mqtt.port');
    const addr = server.address() as AddressInfo;
    logger.info({ host: addr.address, port: addr.port }, 'mqtt broker listening');
    if (this.opts.tls) {
      const tlsServer = createTlsServer({ cert: this.opts.tls.cert, key: this.opts.tls.key }, (socket) => this.broker!.handle(socket));
      this.tlsServer = tlsServer;
      await listenOn(tlsServer, this.opts.tls.port, this.opts.host, 'mqtt.tls.port');
      logger.info({ host: this.opts.host, port: (tlsServer.address() as AddressInfo).port }, 'mqtt broker listening (TLS)');
    }
  }

  tlsAddress(): AddressInfo | undefined {
    return this.tlsServer?.address() as AddressInfo | undefined;
  }

  /**
   * Whether a message on `topic` would reach anyone now: a connected client's subscription
   * (aedes' in-process emitter) or a persistent session's (queued while it is offline).
   * Lets the gateway skip reading a 1.5 MB image file no subscriber wants. aedes has no
   * public question for the first; where its emitter's matcher is not there, true.
   */
  async hasSubscribers(topic: string): Promise<boolean> {
    const inside = this.aedes as unknown as {
      mq?: { _matcher?: { match?: (t: string) => unknown[] } };
      persistence?: { subscriptionsByTopic?: (t: string) => Promise<unknown[]> };
    };
    const matcher = inside.mq?._matcher;
    const persistent = inside.persistence;
    if (typeof matcher?.match !== 'function' || typeof persistent?.subscriptionsByTopic !== 'function') return true;
    if (matcher.match(topic).length > 0) return true;
    return (await persistent.subscriptionsByTopic(topic)).length > 0;
  }

  /** Publishes as the gateway; resolves once aedes has stored and dispatched the message. */
  publish(topic: string, payload: Buffer | string, opts: PublishOptions = {}): Promise<void> {
    return new Promise((ok, fail) => {
      this.aedes.publish(
        { cmd: 'publish', topic, payload, qos: opts.qos ?? 1, retain: opts.retain ?? false, dup: false },
        (err) => (err ? fail(err) : ok()),
      );
    });
  }

  async stop(): Promise<void> {
    // Closing the broker disconnects its clients, which lets the listener close.
    if (this.broker) await new Promise<void>((ok) => this.broker!.close(() => ok()));
    for (const server of [this.server, this.tlsServer]) {
      if (server) await new Promise<void>((ok) => server.close(() => ok()));
    }
    await this.db?.close();
  }
}

function authError(message: string): AuthenticateError {
  const err = new Error(message) as AuthenticateError;
  err.returnCode = 4;
  return err;
}

