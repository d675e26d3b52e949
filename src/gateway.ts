// Composition root: the one place that knows every part, wires them, and orders start/stop.
// Start: store → outbound consumers → inbound listeners. Stop: inbound first (no new work)
// → jobs → outbound (cursors saved) → store last.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/schema.js';
import { gatewayCheckpointTopic } from './kinds/topics.js';
import { EvidenceCheckpoints } from './evidence/evidence-checkpoints.js';
import { loadOrCreateSigningKey } from './evidence/signing-key.js';
import { gatewayLifecycle } from './gateway-lifecycle.js';
import { AlertWatch } from './hotlist/alert-watch.js';
import { CloudHotlist } from './hotlist/cloud-hotlist.js';
import { Hotlist } from './hotlist/hotlist.js';
import { createHttpSurface } from './inbound/http-surface.js';
import { createCameraAccess } from './auth/camera-access.js';
import { createIngest, type IngestObserver } from './ingest/ingest.js';
import { CameraPresence } from './jobs/camera-presence.js';
import { startSchedules } from './jobs/schedules.js';
import type { BlobStore } from './log/blob-store.js';
import { createStore, type Store } from './log/open-store.js';
import type { RecordLog } from './log/record-log.js';
import { CameraClocks } from './observability/camera-clocks.js';
import { createGatewayViews } from './observability/gateway-views.js';
import { createOutbound } from './outbound/outbound-parts.js';
import { safeUrl } from './outbound/uplink.js';
import { PlateIndex } from './search/plate-index.js';

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
  const { gatewayId } = config;

  // The store (log, image files, broker sessions) and what feeds it.
  const store = createStore(config.dataDir, {
    dedupeWindowMs: config.camera.dedupeWindow, maxBatchRecords: config.store.maxBatchRecords, logger,
    maxBytes: config.store.maxBytes, diskFreeMinBytes: config.store.diskFreeMinBytes, whenFull: config.store.whenFull,
    retainDeliveredMs: config.store.retainDelivered, maxUndeliveredAgeMs: config.store.maxUndeliveredAge,
    freeBytes: parts.freeBytes, log: parts.log, blobs: parts.blobs,
  });
  const { log, blobs } = store;
  const access = createCameraAccess(config.camera);
  const presence = new CameraPresence({ log, logger, offlineAfterMs: config.camera.offlineAfter, gatewayId });
  const clocks = new CameraClocks(config.camera.clockWarning);
  const observers: IngestObserver[] = [presence, clocks];
  const ingest = createIngest({
    log, blobs, logger, observers, access, maxImages: config.camera.maxImages, admission: store.admission,
    timeZone: config.camera.timezone, defaultCheckpointId: config.checkpointId, gatewayId,
  });

  // Readers of the log on the gateway itself: the hotlist watch (alerts) and the plate index.
  const hotlist = new Hotlist(log);
  const alerts = new AlertWatch({ log, hotlist, logger, collapseWindowMs: config.hotlist.collapseWindow });
  const plateIndex = new PlateIndex(log, logger);

  // Consumers of the log, and the cloud's hotlist coming back down.
  const out = createOutbound(config, {
    log, blobs, logger, brokerLocation: store.brokerLocation, gatewayStatus: () => views.gatewayStatus(), priority: () => alerts.alerts().map((a) => a.seq),
  });
  const downlink = out.downlink(new CloudHotlist(hotlist, logger, config.uplink.topicPrefix, gatewayId));
  store.setDeliveredSeq(out.deliveredSeq);
  alerts.onAlert((_a, isNew) => isNew && out.uplink?.pokePriority());
  const evidence = new EvidenceCheckpoints({
    log, key: () => loadOrCreateSigningKey(store.evidenceKeyPath), gatewayId, logger,
    publish: (cp) => out.publishRetained(gatewayCheckpointTopic(gatewayId), JSON.stringify(cp)),
  });

  // What people and machines see of it.
  const views = createGatewayViews({
    gatewayId, startedAt, timeZone: config.camera.timezone, store, out, hotlist, alerts, clocks, logLinesDropped: parts.droppedLogLines,
  });
  observers.push(views.metrics, views.liveView);

  // Inbound: HTTP + Socket.IO on one port.
  const { listeners, stopStatusFeed } = createHttpSurface(config, {
    logger, ingest, access, log, blobs, registry: views.metrics.registry, plateIndex, alerts, hotlist, liveView: views.liveView,
    readiness: views.readiness, statistics: views.statistics,
    checkpoint: () => evidence.checkpoint(),
    parked: () => out.parked.list(), replay: out.replay,
  });

  // Start: the store (or a retrying open), then everything that follows the log, then the
  // listeners. Stop: listeners first, then jobs, readers and consumers, the store last.
  let schedules: ReturnType<typeof startSchedules> | undefined;
  const lifecycle = gatewayLifecycle({
    logger, store, listeners, onFatal: parts.onFatal,
    async startParts() {
      await hotlist.load();
      await alerts.start();
      await plateIndex.start();
      await out.start();
      await downlink?.start();
      // The head found on open is pinned at once (after a crash the last checkpoint is older).
      await evidence.checkpoint().catch((err: unknown) => logger.warn({ err }, 'evidence checkpoint at start failed'));
      schedules = startSchedules({
        config, logger, log, blobs, presence, retention: store.retention, evidence, backlogs: [out.backlog, out.forwardBacklog], publishStatus: () => void views.statusPublisher.run(),
      });
    },
    ready() {
      views.setRunning(true);
      void views.statusPublisher.run();
    },
    stopping() {
      views.setRunning(false);
      stopStatusFeed();
    },
    async stopParts() {
      await schedules?.stop();
      await views.statusPublisher.idle(); // none may land after the uplink's "shutdown" status
      await alerts.stop();
      await plateIndex.stop();
      // A last checkpoint of everything accepted, while the broker and uplink still run.
      await evidence.checkpoint().catch((err: unknown) => logger.warn({ err }, 'evidence checkpoint at stop failed'));
      await downlink?.stop();
      await out.stop(() => JSON.stringify({ ...views.gatewayStatus(), state: 'offline' }));
    },
    listening: () => ({ uplink: config.uplink.url ? safeUrl(config.uplink.url) : null }),
  });

  return {
    log, store, presence, hotlist, alerts, plateIndex,
    sweep: () => store.retention.sweep(),
    deliveredSeq: out.deliveredSeq,
    httpAddress: () => listeners.httpAddress(),
    mqttAddress: () => out.broker?.address(),
    tlsAddresses: () => ({ https: listeners.httpsAddress(), mqtts: out.broker?.tlsAddress() }),
    start: lifecycle.start,
    stop: lifecycle.stop,
  };
}
