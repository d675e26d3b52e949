// Everything that carries the log away, built from the configuration: the embedded broker
// and its publisher, the uplink to a cloud broker, the forward to a central LPR server, and
// their backlogs. Started after the log opens; stopped before it closes, each saving its
// cursor. What "delivered" means (handed on by every consumer) is decided here.
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { tlsEnabled, type GatewayConfig } from '../config/schema.js';
import { gatewayStatusTopic } from '../kinds/topics.js';
import type { BlobStore } from '../log/blob-store.js';
import type { RecordLog } from '../log/record-log.js';
import { BacklogMonitor } from './backlog-monitor.js';
import { CloudDownlink, type Inbox } from './cloud-downlink.js';
import { Forwarder } from './forward/forwarder.js';
import { LocalBroker } from './local-broker.js';
import { createLocalSender, runLocalDelivery } from './local-publisher.js';
import { LogConsumer } from './log-consumer.js';
import { ParkedRecords } from './parked-records.js';
import { Uplink } from './uplink.js';

export interface OutboundDeps {
  log: RecordLog;
  blobs: BlobStore;
  logger: Logger;
  /** Where the embedded broker keeps its sessions. */
  brokerLocation: string;
  /** The gateway's status document (the uplink's retained status and last will). */
  gatewayStatus: () => Record<string, unknown>;
  /** Seqs the uplink sends ahead of the backlog (open alerts). */
  priority: () => number[];
}

export type Outbound = ReturnType<typeof createOutbound>;

export function createOutbound(config: GatewayConfig, deps: OutboundDeps) {
  const { log, blobs, logger } = deps;
  // What the uplink lanes and the forward set aside; held from "delivered" eviction.
  const parked = new ParkedRecords(log);
  const uplinkClientId = config.uplink.clientId || `lprgw-${config.gatewayId}`;
  const broker = config.mqtt.enabled
    ? new LocalBroker({
        host: config.mqtt.host, port: config.mqtt.port, location: deps.brokerLocation,
        allowAnonymous: config.mqtt.allowAnonymous, users: config.mqtt.users, logger,
        tls: tlsEnabled(config.mqtt.tls)
          ? { port: config.mqtt.tls.port, cert: readFileSync(config.mqtt.tls.cert), key: readFileSync(config.mqtt.tls.key) }
          : undefined,
      })
    : undefined;
  const localConsumer = broker ? new LogConsumer({ log, name: 'local', window: 256, logger }) : undefined;
  const uplink = config.uplink.url
    ? new Uplink({
        ...config.uplink,
        clientId: uplinkClientId,
        connectTimeoutMs: config.uplink.connectTimeout,
        ackTimeoutMs: config.uplink.ackTimeout,
      }, { log, parked, blobs, logger, gatewayId: config.gatewayId, gatewayStatus: deps.gatewayStatus, priority: deps.priority })
    : undefined;
  const backlog = uplink ? new BacklogMonitor(log, uplink.meta, () => uplink.state === 'online') : undefined;
  // The forward to an existing central LPR server (the cameras' own protocol), beside the uplink.
  const f = config.forward;
  const forwarder = f.url
    ? new Forwarder({
        url: f.url, transport: f.transport, headers: f.headers, window: f.window,
        ca: f.ca ? readFileSync(f.ca) : undefined, timeoutMs: f.timeout, connectTimeoutMs: f.connectTimeout, socketioRetryMs: f.socketioRetry,
      }, { log, parked, blobs, logger })
    : undefined;
  const forwardBacklog = forwarder ? new BacklogMonitor(log, forwarder.consumer, () => forwarder.state === 'online') : undefined;
  const consumers = [localConsumer, ...(uplink?.consumers() ?? []), forwarder?.consumer].filter((c): c is LogConsumer => c !== undefined);
  let localRun: ReturnType<typeof runLocalDelivery> | undefined;

  return {
    broker, uplink, forwarder, backlog, forwardBacklog, consumers, parked,
    /** Delivered = handed on by every consumer; with no consumer at all, stored is final. */
    deliveredSeq: () => (consumers.length ? Math.min(...consumers.map((c) => c.position())) : log.lastSeq()),
    forwardStatus: (): Record<string, unknown> | null => (forwarder ? { ...forwarder.status(), backlog: forwardBacklog!.snapshot() } : null),
    /** Sends a parked record again, to whichever upstream parked it; undefined with no upstream. */
    replay: uplink || forwarder
      ? async (seq: number): Promise<void> => {
          await uplink?.replay(seq);
          await forwarder?.replay(seq);
        }
      : undefined,
    /**
     * The cloud's messages down to `inbox` (the hotlist), on a connection of their own to the
     * uplink's broker; undefined without an uplink or with hotlist.fromCloud off.
     */
    downlink(inbox: Inbox): CloudDownlink | undefined {
      const u = config.uplink;
      if (!u.url || !config.hotlist.fromCloud) return undefined;
      return new CloudDownlink({ ...u, clientId: `${uplinkClientId}-in`, connectTimeoutMs: u.connectTimeout }, inbox, logger);
    },
    /** Publishes a retained message on the local broker and upstream (checkpoints). */
    async publishRetained(topic: string, payload: string): Promise<void> {
      if (broker) await broker.publish(topic, payload, { retain: true });
      await uplink?.publishRetained(topic, payload);
    },
    async start(): Promise<void> {
      await parked.load();
      if (broker && localConsumer) {
        await broker.start();
        localRun = runLocalDelivery(localConsumer, createLocalSender({ logger, broker, blobs, gatewayId: config.gatewayId, publishImages: config.mqtt.publishImages }), logger);
      }
      await uplink?.start();
      forwarder?.start();
    },
    /** Stops every consumer (cursors saved), then the broker with the gateway's last status. */
    async stop(offlineStatus: () => string): Promise<void> {
      logger.debug('stopping uplink');
      await uplink?.stop();
      await forwarder?.stop();
      logger.debug('stopping local publisher');
      await localRun?.stop();
      if (broker) {
        logger.debug('stopping broker');
        await broker.publish(gatewayStatusTopic(config.gatewayId), offlineStatus(), { retain: true }).catch(() => undefined);
        await broker.stop();
      }
    },
  };
}
