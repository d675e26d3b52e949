// Composition root: the one place that knows every part, wires them, and orders start/stop.
// Start: store → outbound consumers → inbound listeners. Stop: inbound first (no new work)
// → jobs → outbound (cursors saved) → store last.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { tlsEnabled, type GatewayConfig } from './config/schema.js';
import { createListeners } from './inbound/listeners.js';
import { createAdminRoutes } from './inbound/http/admin-routes.js';
import { createCameraRoutes } from './inbound/http/camera-routes.js';
import { createHttpApp } from './inbound/http/create-http-app.js';
import { cameraPosts } from './inbound/http/camera-posts.js';
import { imageGets } from './inbound/http/image-gets.js';
import { createInfoRoutes } from './inbound/http/info-routes.js';
import { createRecordRoutes } from './inbound/http/record-routes.js';
import { createOpsRoutes } from './inbound/http/ops-routes.js';
import { createViewerCheck, requireViewer } from './inbound/http/viewer-login.js';
import { createClientRateLimit } from './inbound/client-rate-limit.js';
import { createNetworkAllowlist } from './inbound/network-allowlist.js';
import { attachCameraSocket } from './inbound/socketio/camera-socket.js';
import { createCameraAccess } from './ingest/camera-access.js';
import { createIngest, type IngestObserver } from './ingest/ingest.js';
import { CameraPresence } from './jobs/camera-presence.js';
import type { BlobStore } from './log/blob-store.js';
import { createStore, type Store } from './log/open-store.js';
import type { RecordLog } from './log/record-log.js';
import { GatewayMetrics } from './observability/gateway-metrics.js';
import { LiveView } from './observability/live-view.js';
import { SingleFlight } from './observability/single-flight.js';
import { attachStatusNamespace } from './observability/status-namespace.js';
import { BacklogMonitor } from './outbound/backlog-monitor.js';
import { LocalBroker } from './outbound/local-broker.js';
import { createLocalSender, runLocalDelivery } from './outbound/local-publisher.js';
import { LogConsumer } from './outbound/log-consumer.js';
import { gatewayCheckpointTopic, gatewayStatusTopic } from './kinds/topics.js';
import { loadOrCreateSigningKey } from './evidence/signing-key.js';
import { EvidenceCheckpoints } from './evidence/evidence-checkpoints.js';
import { startSchedules } from './jobs/schedules.js';
import { gatewayStatusDocument, readinessOf, storeProblemOf } from './observability/gateway-status.js';
import { storeInUse } from './log/store-failure.js';
import { wrongFormat } from './log/store-format.js';
import { safeUrl, Uplink } from './outbound/uplink.js';
import { CloudDownlink } from './outbound/cloud-downlink.js';
import { Forwarder } from './outbound/forward/forwarder.js';
import { AlertWatch } from './hotlist/alert-watch.js';
import { CloudHotlist } from './hotlist/cloud-hotlist.js';
import { Hotlist } from './hotlist/hotlist.js';
import { createHotlistRoutes } from './inbound/http/hotlist-routes.js';
import { createSearchRoutes } from './inbound/http/search-routes.js';
import { CameraClocks } from './observability/camera-clocks.js';
import { PlateIndex } from './search/plate-index.js';
import { VERSION } from './version.js';

export interface Gateway {
  start(): Promise<void>;
  /** Runs one retention/quota sweep now (the cron job does this on its schedule). */
  sweep(): Promise<unknown>;
  /** Every record at or below this seq has been handed on by every consumer. */
  deliveredSeq(): number;
  stop(): Promise<void>;
  /** Bound HTTP address (port 0 in config → the real port once started). */
  httpAddress(): AddressInfo;
  mqttAddress(): AddressInfo | undefined;
  tlsAddresses(): { https: AddressInfo | undefined; mqtts: AddressInfo | undefined };
  readonly log: RecordLog;
  readonly store: Store;
  readonly presence: CameraPresence;
  readonly hotlist: Hotlist;
  readonly alerts: AlertWatch;
  readonly plateIndex: PlateIndex;
}

/** Parts a caller may supply instead of the defaults (the benchmark's no-storage reference). */
export interface GatewayParts {
  log?: RecordLog;
  blobs?: BlobStore;
  /** Free bytes on the data filesystem (tests simulate a full disk with it). */
  freeBytes?: () => number;
  /** Log lines dropped by the process's log destination (lprgw_log_lines_dropped_total). */
  droppedLogLines?: () => number;
  /** Called when starting fails after the store opened late (the CLI exits for systemd). */
  onFatal?: (err: unknown) => void;
}


export function createGateway(config: GatewayConfig, logger: Logger, parts: GatewayParts = {}): Gateway {
  const startedAt = new Date().toISOString();

  // The store (log, image files, broker sessions) and what feeds it.
  const store = createStore(config.dataDir, {
    dedupeWindowMs: config.camera.dedupeWindow, maxBatchRecords: config.store.maxBatchRecords, logger,
    maxBytes: config.store.maxBytes, diskFreeMinBytes: config.store.diskFreeMinBytes, whenFull: config.store.whenFull,
    retainDeliveredMs: config.store.retainDelivered, maxUndeliveredAgeMs: config.store.maxUndeliveredAge,
    freeBytes: parts.freeBytes, log: parts.log, blobs: parts.blobs,
  });
  const { log, blobs, dataDir } = store;
  const access = createCameraAccess(config.camera);
  const presence = new CameraPresence({ log, logger, offlineAfterMs: config.camera.offlineAfter, gatewayId: config.gatewayId });
  const clocks = new CameraClocks(config.camera.clockWarning);
  const observers: IngestObserver[] = [presence, clocks];
  const ingest = createIngest({
    log, blobs, logger, observers,
    access, maxImages: config.camera.maxImages,
    admission: store.admission,
    timeZone: config.camera.timezone, defaultCheckpointId: config.checkpointId, gatewayId: config.gatewayId,
  });

  // Readers of the log on the gateway itself: the hotlist watch (alerts) and the plate index.
  const hotlist = new Hotlist(log);
  const alerts = new AlertWatch({ log, hotlist, logger, collapseWindowMs: config.hotlist.collapseWindow });
  const plateIndex = new PlateIndex(log, logger);

  // Consumers of the log.
  const broker = config.mqtt.enabled
    ? new LocalBroker({
        host: config.mqtt.host, port: config.mqtt.port, location: store.brokerLocation,
        allowAnonymous: config.mqtt.allowAnonymous, users: config.mqtt.users, logger,
        tls: tlsEnabled(config.mqtt.tls)
          ? { port: config.mqtt.tls.port, cert: readFileSync(config.mqtt.tls.cert), key: readFileSync(config.mqtt.tls.key) }
          : undefined,
      })
    : undefined;
  const localConsumer = broker ? new LogConsumer({ log, name: 'local', window: 256, logger }) : undefined;
  const gatewayStatus = (): Record<string, unknown> => gatewayStatusDocument({ gatewayId: config.gatewayId, startedAt, log, uplink, backlog, forward: forwardStatus });
  const uplink = config.uplink.url
    ? new Uplink({
        ...config.uplink,
        clientId: config.uplink.clientId || `lprgw-${config.gatewayId}`,
        connectTimeoutMs: config.uplink.connectTimeout,
        ackTimeoutMs: config.uplink.ackTimeout,
      }, {
        log, blobs, logger, gatewayId: config.gatewayId, gatewayStatus,
        priority: () => alerts.alerts().map((a) => a.seq),
      })
    : undefined;
  const downlink = config.uplink.url && config.hotlist.fromCloud
    ? new CloudDownlink({ ...config.uplink, clientId: `${config.uplink.clientId || `lprgw-${config.gatewayId}`}-in`, connectTimeoutMs: config.uplink.connectTimeout },
      new CloudHotlist(hotlist, logger, config.uplink.topicPrefix, config.gatewayId), logger)
    : undefined;
  const backlog = uplink ? new BacklogMonitor(log, uplink.meta, () => uplink.state === 'online') : undefined;
  // The forward to an existing central LPR server (the cameras' own protocol), beside the uplink.
  const forwarder = config.forward.url
    ? new Forwarder({
        url: config.forward.url, transport: config.forward.transport, headers: config.forward.headers, window: config.forward.window,
        ca: config.forward.ca ? readFileSync(config.forward.ca) : undefined, timeoutMs: config.forward.timeout, connectTimeoutMs: config.forward.connectTimeout,
        socketioRetryMs: config.forward.socketioRetry,
      }, { log, blobs, logger })
    : undefined;
  const forwardBacklog = forwarder ? new BacklogMonitor(log, forwarder.consumer, () => forwarder.state === 'online') : undefined;
  const forwardStatus = (): Record<string, unknown> | null => (forwarder ? { ...forwarder.status(), backlog: forwardBacklog!.snapshot() } : null);
  const consumers = [localConsumer, ...(uplink?.consumers() ?? []), forwarder?.consumer].filter((c): c is LogConsumer => c !== undefined);
  // Delivered = handed on by every consumer; with no consumer at all, stored is final.
  const deliveredSeq = () => (consumers.length ? Math.min(...consumers.map((c) => c.position())) : log.lastSeq());
  store.setDeliveredSeq(deliveredSeq);
  const retention = store.retention;
  const metrics = new GatewayMetrics({
    log, consumers: () => consumers, uplink, backlog, clocks, logLinesDropped: parts.droppedLogLines, storeUsage: () => store.admission.usage(),
    hotlist: { entries: () => hotlist.size, alertsRaised: () => alerts.raised, alertsCollapsed: () => alerts.collapsed },
    forward: forwarder && forwardBacklog ? { forwarder, backlog: forwardBacklog } : undefined,
  });
  // The store's usage and, while it takes no records, why (every surface says the same).
  const storeStatus = () => ({ ...store.admission.usage(), problem: storeProblemOf(log.health(), store.admission.usage()) ?? null });
  const liveView = new LiveView(log, () => ({
    gateway_id: config.gatewayId, version: VERSION, started_at: startedAt, time_zone: config.camera.timezone,
    store: storeStatus(), uplink: gatewayStatus().uplink, backlog: backlog?.snapshot() ?? null,
    alerts: alerts.open(), clocks: clocks.snapshot(), hotlist_entries: hotlist.size, forward: forwardStatus(),
  }));
  alerts.onAlert((_a, isNew) => {
    if (isNew) uplink?.pokePriority();
  });
  observers.push(metrics, liveView);
  let running = false;
  const readiness = () => readinessOf(running, log, broker, uplink, store.admission.usage());

  // Inbound: HTTP + Socket.IO on one port.
  const viewerLogin = config.admin.viewerUser ? { user: config.admin.viewerUser, passwordHash: config.admin.viewerPasswordHash } : undefined;
  const viewerCheck = createViewerCheck(viewerLogin);
  const viewer = requireViewer(viewerCheck);
  const cameraAllowed = createNetworkAllowlist(config.camera.networks);
  const rateLimit = createClientRateLimit(config.http.rateLimit, config.http.rateBurst);
  const app = createHttpApp({
    maxMessageBytes: config.http.maxMessageBytes,
    logger,
    refused: (error, remote) => ingest.refused(error, { source: 'rest', remote }),
    routers: [
      createOpsRoutes({ registry: metrics.registry, readiness, viewer }),
      createInfoRoutes({
        log, extraStatistics: () => ({
          backlog: backlog?.snapshot() ?? null, uplink: gatewayStatus().uplink, camera_clocks: clocks.snapshot(), store_health: storeStatus(),
          hotlist: { entries: hotlist.size, alerts_open: alerts.open().length }, forward: forwardStatus(),
        }),
      }),
      createCameraRoutes({ ingest, cameraAllowed, rateLimit }),
      createRecordRoutes({ log, blobs, viewer }),
      createSearchRoutes({ log, index: plateIndex, alerts, viewer, timeZone: config.camera.timezone }),
      createHotlistRoutes({ hotlist, index: plateIndex, token: config.admin.token, maxImportBytes: config.hotlist.maxImportBytes }),
      createAdminRoutes({
        log, token: config.admin.token, checkpoint: () => evidence?.checkpoint() ?? Promise.resolve(),
        replay: uplink || forwarder ? async (seq) => {
          await uplink?.replay(seq);
          await forwarder?.replay(seq);
        } : undefined,
      }),
    ],
  });
  const posts = cameraPosts({ ingest, cameraAllowed, rateLimit, maxMessageBytes: config.http.maxMessageBytes });
  const images = imageGets({ blobs, viewer: viewerCheck });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!posts(req, res) && !images(req, res)) app(req, res);
  };
  const listeners = createListeners({
    host: config.http.host, port: config.http.port, tls: tlsEnabled(config.http.tls) ? config.http.tls : undefined,
    requestTimeout: config.http.requestTimeout, maxConnections: config.http.maxConnections, pingTimeout: config.http.pingTimeout,
    maxMessageBytes: config.http.maxMessageBytes,
  }, handle, logger);
  const { io } = listeners;
  attachCameraSocket(io, { ingest, logger, cameraAllowed, rateLimit, access, maxMessageBytes: config.http.maxMessageBytes });
  const stopStatusFeed = attachStatusNamespace(io, liveView, viewerCheck, alerts);

  let evidence: EvidenceCheckpoints | undefined;
  let schedules: ReturnType<typeof startSchedules> | undefined;
  let localRun: ReturnType<typeof runLocalDelivery> | undefined;

  // One status publish at a time; stop() waits for the one under way.
  const statusPublisher = new SingleFlight(publishGatewayStatus);

  async function publishGatewayStatus(): Promise<void> {
    await backlog?.sample().catch(() => undefined);
    await forwardBacklog?.sample().catch(() => undefined);
    const status = JSON.stringify(gatewayStatus());
    if (broker) await broker.publish(gatewayStatusTopic(config.gatewayId), status, { retain: true }).catch(() => undefined);
    await uplink?.publishStatus();
  }

  let startingParts: Promise<void> | undefined;
  let stopWaitingForStore: (() => void) | undefined;

  /** Opens the store, or leaves it trying to open: false when it could not open yet. */
  async function openStore(): Promise<boolean> {
    try {
      await store.open({ retry: true });
      return true;
    } catch (err) {
      if (storeInUse(err) || wrongFormat(err)) {
        await store.close();
        throw err; // another gateway runs on this data dir, or it holds another format: nothing to wait for
      }
      const problem = storeProblemOf(log.health(), store.admission.usage());
      logger.error({ err, store_error: problem }, `the store cannot open (${problem?.message ?? 'unknown'}): serving status and refusing camera messages with a reason until it can; retrying`);
      return false;
    }
  }

  /** Everything that reads or follows the log, once it is open. */
  function startParts(): Promise<void> {
    startingParts ??= (async () => {
      await hotlist.load();
      await alerts.start();
      await plateIndex.start();
      evidence = new EvidenceCheckpoints({
        log, key: () => loadOrCreateSigningKey(store.evidenceKeyPath), gatewayId: config.gatewayId, logger,
        publish: async (cp) => {
          const payload = JSON.stringify(cp);
          if (broker) await broker.publish(gatewayCheckpointTopic(config.gatewayId), payload, { retain: true });
          await uplink?.publishRetained(gatewayCheckpointTopic(config.gatewayId), payload);
        },
      });
      if (broker && localConsumer) {
        await broker.start();
        const send = createLocalSender({ logger, broker, blobs, gatewayId: config.gatewayId, publishImages: config.mqtt.publishImages });
        localRun = runLocalDelivery(localConsumer, send, logger);
      }
      await uplink?.start();
      forwarder?.start();
      await downlink?.start();
      // The head found on open is pinned at once (after a crash the last checkpoint is older).
      await evidence.checkpoint().catch((err: unknown) => logger.warn({ err }, 'evidence checkpoint at start failed'));
      schedules = startSchedules({
        config, logger, log, blobs, presence, retention, evidence, backlogs: [backlog, forwardBacklog], publishStatus: () => void statusPublisher.run(),
      });
    })();
    return startingParts;
  }

  async function stopParts(): Promise<void> {
    await schedules?.stop();
    await statusPublisher.idle(); // none may land after the uplink's "shutdown" status
    // A last checkpoint of everything accepted, while the broker and uplink still run.
    await alerts.stop();
    await plateIndex.stop();
    await evidence?.checkpoint().catch((err: unknown) => logger.warn({ err }, 'evidence checkpoint at stop failed'));
    await downlink?.stop();
    logger.debug('stopping uplink');
    await uplink?.stop();
    await forwarder?.stop();
    logger.debug('stopping local publisher');
    await localRun?.stop();
    logger.debug('stopping broker');
    if (broker) {
      await broker.publish(gatewayStatusTopic(config.gatewayId), JSON.stringify({ ...gatewayStatus(), state: 'offline' }), { retain: true }).catch(() => undefined);
      await broker.stop();
    }
  }

  function ready(): void {
    running = true;
    void statusPublisher.run();
    if (log.health().state === 'open') logger.info({ lastSeq: log.lastSeq() }, 'gateway ready');
  }

  return {
    log,
    store,
    presence,
    hotlist,
    alerts,
    plateIndex,
    sweep: () => retention.sweep(),
    deliveredSeq,
    httpAddress: () => listeners.httpAddress(),
    mqttAddress: () => broker?.address(),
    tlsAddresses: () => ({ https: listeners.httpsAddress(), mqtts: broker?.tlsAddress() }),
    async start() {
      const opened = await openStore();
      if (opened) await startParts();
      await listeners.listen();
      const addr = listeners.httpAddress();
      logger.info({ host: addr.address, port: addr.port, dataDir, lastSeq: log.lastSeq(), store: log.health().state, uplink: config.uplink.url ? safeUrl(config.uplink.url) : null }, 'gateway listening');
      if (opened) return ready();
      // The log keeps trying to open (1, 2, 5, then every 10 s); the rest starts once it has.
      const off = log.onHealth((h) => {
        if (h.state !== 'open' || startingParts) return;
        off();
        startParts().then(ready, (err: unknown) => {
          logger.fatal({ err }, 'gateway failed to start after its store opened');
          parts.onFatal?.(err); // the CLI exits so systemd restarts it; embedded, the log line is the word
        });
      });
      stopWaitingForStore = off;
    },
    async stop() {
      running = false;
      stopWaitingForStore?.();
      stopStatusFeed();
      // No new connections or messages; requests already inside finish their appends.
      const closed = listeners.stopAccepting();
      // Parts that never started (the store never opened) have nothing to stop.
      if (startingParts && (await startingParts.then(() => true, () => false))) await stopParts();
      logger.debug('closing log');
      await store.close();
      listeners.closeAll();
      await closed;
      logger.info('gateway stopped');
    },
  };
}

