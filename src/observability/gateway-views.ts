// What people and machines see of a running gateway, built from its parts: the metrics,
// the status page's live view, /api/statistics' extra sections, the retained gateway
// status (one publish at a time) and readiness. Every surface reads the same sources, so
// they say the same thing (a store that takes no records says why on all of them).
import type { AlertWatch } from '../hotlist/alert-watch.js';
import type { Hotlist } from '../hotlist/hotlist.js';
import { gatewayStatusTopic } from '../kinds/topics.js';
import type { Store } from '../log/open-store.js';
import type { Outbound } from '../outbound/outbound-parts.js';
import { VERSION } from '../version.js';
import type { CameraClocks } from './camera-clocks.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { gatewayStatusDocument, readinessOf, storeProblemOf } from './gateway-status.js';
import { LiveView } from './live-view.js';
import { SingleFlight } from './single-flight.js';

export interface ViewSources {
  gatewayId: string;
  startedAt: string;
  timeZone: string;
  store: Store;
  out: Outbound;
  hotlist: Hotlist;
  alerts: AlertWatch;
  clocks: CameraClocks;
  logLinesDropped?: (() => number) | undefined;
}

export function createGatewayViews(s: ViewSources) {
  const { store, out, hotlist, alerts, clocks } = s;
  const log = store.log;
  const gatewayStatus = (): Record<string, unknown> => gatewayStatusDocument({
    gatewayId: s.gatewayId, startedAt: s.startedAt, log, parked: out.parked, uplink: out.uplink, backlog: out.backlog, forward: out.forwardStatus,
  });
  // The store's usage and, while it takes no records, why.
  const storeStatus = () => ({ ...store.admission.usage(), problem: storeProblemOf(log.health(), store.admission.usage()) ?? null });
  const metrics = new GatewayMetrics({
    log, parked: out.parked, consumers: () => out.consumers, uplink: out.uplink, backlog: out.backlog, clocks, logLinesDropped: s.logLinesDropped,
    storeUsage: () => store.admission.usage(),
    hotlist: { entries: () => hotlist.size, alertsRaised: () => alerts.raised, alertsCollapsed: () => alerts.collapsed },
    forward: out.forwarder && out.forwardBacklog ? { forwarder: out.forwarder, backlog: out.forwardBacklog } : undefined,
  });
  const liveView = new LiveView(log, () => ({
    gateway_id: s.gatewayId, version: VERSION, started_at: s.startedAt, time_zone: s.timeZone,
    store: storeStatus(), uplink: gatewayStatus().uplink, backlog: out.backlog?.snapshot() ?? null,
    alerts: alerts.open(), clocks: clocks.snapshot(), hotlist_entries: hotlist.size, forward: out.forwardStatus(),
  }));
  // One retained-status publish at a time; stop() waits for the one under way.
  const statusPublisher = new SingleFlight(async () => {
    await out.backlog?.sample().catch(() => undefined);
    await out.forwardBacklog?.sample().catch(() => undefined);
    await out.broker?.publish(gatewayStatusTopic(s.gatewayId), JSON.stringify(gatewayStatus()), { retain: true }).catch(() => undefined);
    await out.uplink?.publishStatus();
  });
  let running = false;
  return {
    metrics, liveView, statusPublisher, gatewayStatus,
    /** Ready only once running (set by the lifecycle). */
    setRunning: (on: boolean) => {
      running = on;
    },
    readiness: () => readinessOf(running, log, out.broker, out.uplink, store.admission.usage()),
    /** Sections /api/statistics adds to the log's own. */
    statistics: () => ({
      backlog: out.backlog?.snapshot() ?? null, uplink: gatewayStatus().uplink, camera_clocks: clocks.snapshot(), store_health: storeStatus(),
      hotlist: { entries: hotlist.size, alerts_open: alerts.open().length }, forward: out.forwardStatus(),
    }),
  };
}
