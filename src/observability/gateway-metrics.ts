// Prometheus metrics (prom-client: the standard exposition format and Node runtime metrics,
// event-loop lag included, without hand-written text encoding). Counters move on events;
// gauges are read from the live parts at scrape time, so nothing here runs per record
// beyond a counter increment.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { GatewayError } from '../errors.js';
import type { AcceptContext, AcceptResult, IngestObserver } from '../ingest/ingest.js';
import type { RecordLog } from '../log/record-log.js';
import type { BacklogMonitor } from '../outbound/backlog-monitor.js';
import type { LogConsumer } from '../outbound/log-consumer.js';
import type { ParkedRecords } from '../outbound/parked-records.js';
import type { Uplink } from '../outbound/uplink.js';
import type { Forwarder } from '../outbound/forward/forwarder.js';

export interface MetricsSources {
  log: RecordLog;
  parked: ParkedRecords;
  consumers: () => LogConsumer[];
  uplink?: Uplink | undefined;
  backlog?: BacklogMonitor | undefined;
  clocks?: { snapshot(): { camera_id: string; offset_s: number }[] } | undefined;
  hotlist?: { entries: () => number; alertsRaised: () => number; alertsCollapsed: () => number } | undefined;
  /** Log lines the stdout destination could not write (full disk, stalled pipe). */
  logLinesDropped?: (() => number) | undefined;
  storeUsage?: (() => { disk_free_bytes: number }) | undefined;
  forward?: { forwarder: Forwarder; backlog: BacklogMonitor } | undefined;
}

export class GatewayMetrics implements IngestObserver {
  readonly registry = new Registry();
  private readonly ingested: Counter<'transport' | 'kind' | 'result'>;
  private readonly rejections: Counter<'transport' | 'code'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lprgw_' });
    this.ingested = new Counter({
      name: 'lprgw_ingest_messages_total', help: 'Camera messages by transport, kind and result (accepted, duplicate, rejected)',
      labelNames: ['transport', 'kind', 'result'], registers,
    });
    this.rejections = new Counter({
      name: 'lprgw_ingest_rejections_total', help: 'Rejected camera messages by transport and error code',
      labelNames: ['transport', 'code'], registers,
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    // A counter kept elsewhere (a part's own tally), read at scrape time.
    const counterFrom = (name: string, help: string, read: () => number) =>
      new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
    gauge('lprgw_log_records', 'Records ever appended to the log', () => sources.log.stats().records);
    gauge('lprgw_log_last_seq', 'Highest seq in the log', () => sources.log.lastSeq());
    gauge('lprgw_log_bytes', 'Approximate bytes ever appended (records and images)', () => sources.log.stats().bytes);
    gauge('lprgw_store_records', 'Records stored now', () => sources.log.stats().liveRecords);
    gauge('lprgw_store_bytes', 'Bytes stored now (records and images, approximate)', () => sources.log.stats().liveBytes);
    new Gauge({
      name: 'lprgw_store_evictions', help: 'Records or images evicted so far, by reason (persisted count)', labelNames: ['reason'], registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(sources.log.stats().evictions)) this.set({ reason }, n);
      },
    });
    gauge('lprgw_store_writable', '1 while the store accepts records; 0 while it refuses them (full disk, write error, cannot open)', () => (sources.log.health().state === 'open' ? 1 : 0));
    gauge('lprgw_disk_free_bytes', 'Free bytes on the data filesystem (as admission counts them)', () => sources.storeUsage?.().disk_free_bytes ?? 0);
    gauge('lprgw_cameras', 'Cameras ever seen', () => sources.log.stats().cameras.length);
    gauge('lprgw_cameras_online', 'Cameras currently online', () => sources.log.stats().cameras.filter((c) => c.state === 'online').length);
    new Gauge({
      name: 'lprgw_consumer_lag_records', help: 'Records not yet delivered, by log consumer', labelNames: ['consumer'], registers,
      collect() {
        this.reset();
        for (const c of sources.consumers()) this.set({ consumer: c.name }, c.lag());
      },
    });
    gauge('lprgw_uplink_connected', '1 while the uplink is connected', () => (sources.uplink?.state === 'online' ? 1 : 0));
    gauge('lprgw_parked_records', 'Records set aside because they cannot be delivered as they are (lpr-gateway parked list)', () => sources.parked.count());
    gauge('lprgw_backlog_records', 'Records waiting for the uplink', () => sources.backlog?.snapshot().records ?? 0);
    gauge('lprgw_backlog_bytes', 'Approximate bytes waiting for the uplink', () => sources.backlog?.snapshot().bytes ?? 0);
    gauge('lprgw_backlog_oldest_age_seconds', 'Age of the oldest record waiting for the uplink', () => sources.backlog?.snapshot().oldest_age_s ?? 0);
    new Gauge({
      name: 'lprgw_camera_clock_offset_seconds', help: "Gateway receive time minus the camera's timestamp (rolling median), by camera", labelNames: ['camera'], registers,
      collect() {
        this.reset();
        for (const c of sources.clocks?.snapshot() ?? []) this.set({ camera: c.camera_id }, c.offset_s);
      },
    });
    gauge('lprgw_hotlist_entries', 'Hotlist entries (any source, expired ones included)', () => sources.hotlist?.entries() ?? 0);
    gauge('lprgw_hotlist_alerts_raised', 'Hotlist alerts raised since start', () => sources.hotlist?.alertsRaised() ?? 0);
    gauge('lprgw_hotlist_alerts_collapsed', 'Hotlist matches counted on an open alert since start', () => sources.hotlist?.alertsCollapsed() ?? 0);
    counterFrom('lprgw_log_lines_dropped_total', 'Log lines dropped because the log destination could not be written (full disk, stalled pipe)', () => sources.logLinesDropped?.() ?? 0);
    if (sources.forward) {
      const { forwarder, backlog } = sources.forward;
      gauge('lprgw_forward_connected', '1 while the central LPR server answers the forward', () => (forwarder.state === 'online' ? 1 : 0));
      new Gauge({
        name: 'lprgw_forward_transport', help: 'The transport the forward uses now (1 for the one in use)', labelNames: ['transport'], registers,
        collect() {
          this.reset();
          if (forwarder.transportInUse) this.set({ transport: forwarder.transportInUse }, 1);
        },
      });
      gauge('lprgw_forward_backlog_records', 'Records waiting for the central server', () => backlog.snapshot().records);
      gauge('lprgw_forward_backlog_bytes', 'Approximate bytes waiting for the central server', () => backlog.snapshot().bytes);
      gauge('lprgw_forward_backlog_oldest_age_seconds', 'Age of the oldest record waiting for the central server', () => backlog.snapshot().oldest_age_s ?? 0);
      gauge('lprgw_forward_parked_records', 'Records the central server refused (lpr-gateway parked list)', () => forwarder.parkedCount());
      counterFrom('lprgw_forward_delivered_total', 'Messages the central server confirmed', () => forwarder.delivered);
      counterFrom('lprgw_forward_failures_total', 'Forward attempts that failed or were refused', () => forwarder.failures);
    }
    gauge('lprgw_uplink_drain_rate', 'Uplink deliveries per second (recent)', () => sources.backlog?.snapshot().drain_rate_per_s ?? 0);
  }

  accepted(result: AcceptResult, ctx: AcceptContext): void {
    this.ingested.inc({ transport: ctx.source, kind: result.kind, result: result.duplicate ? 'duplicate' : 'accepted' });
  }

  rejected(error: GatewayError, ctx: AcceptContext): void {
    this.ingested.inc({ transport: ctx.source, kind: ctx.impliedKind ?? 'unknown', result: 'rejected' });
    this.rejections.inc({ transport: ctx.source, code: error.code });
  }
}
