// What the gateway says about itself: the status document (retained on
// lpr/gateway/<id>/status locally and upstream, and part of the status page) and the
// readiness answer behind /readyz.
import type { RecordLog, StoreHealth } from '../log/record-log.js';
import type { BacklogMonitor } from '../outbound/backlog-monitor.js';
import type { LocalBroker } from '../outbound/local-broker.js';
import type { ParkedRecords } from '../outbound/parked-records.js';
import type { Uplink } from '../outbound/uplink.js';
import { VERSION } from '../version.js';

export interface StatusSources {
  gatewayId: string;
  startedAt: string;
  log: RecordLog;
  parked: ParkedRecords;
  uplink: Uplink | undefined;
  backlog: BacklogMonitor | undefined;
  /** The forward to a central LPR server, when on. */
  forward?: () => Record<string, unknown> | null;
}

export function gatewayStatusDocument(s: StatusSources): Record<string, unknown> {
  const { uplink, log } = s;
  return {
    state: 'online', gateway_id: s.gatewayId, version: VERSION, started_at: s.startedAt, time: new Date().toISOString(),
    uplink: uplink
      ? {
          state: uplink.state, connected_since: uplink.connectedSince, offline_since: uplink.offlineSince,
          last_error: uplink.lastError, last_error_at: uplink.lastErrorAt, parked: s.parked.count(),
          // Messages the JSON lane may have in flight now: sized to the link (link-window.ts).
          window: uplink.meta.windowSize,
        }
      : { state: 'disabled' },
    backlog: s.backlog?.snapshot() ?? null,
    forward: s.forward?.() ?? { state: 'disabled' },
    cameras: log.stats().cameras.length,
  };
}

export interface StoreUsage {
  disk_free_bytes: number;
  disk_free_min_bytes: number;
}

export interface StoreProblem {
  state: string;
  code: string | undefined;
  reason: string | undefined;
  since: string | undefined;
  disk_free_bytes: number;
  /** For people: "disk full, N bytes free" or the error the store gave. */
  message: string;
}

/** Why the store takes no records now (undefined while it does): for every surface alike. */
export function storeProblemOf(h: StoreHealth, usage: StoreUsage): StoreProblem | undefined {
  if (h.state === 'open') return undefined;
  const message = h.code === 'STORE_FULL'
    ? `disk full, ${usage.disk_free_bytes} bytes free`
    : h.state === 'failed' || h.state === 'recovering' ? `store unavailable: ${h.reason ?? 'unknown error'}` : `store ${h.state}`;
  return { state: h.state, code: h.code, reason: h.reason, since: h.since, disk_free_bytes: usage.disk_free_bytes, message };
}

/** Ready = started, the store accepting writes, and the broker (when on) listening. */
export function readinessOf(running: boolean, log: RecordLog, broker: LocalBroker | undefined, uplink: Uplink | undefined, usage: StoreUsage) {
  const mqttListening = !broker || broker.address() !== undefined;
  const h = log.health();
  const problem = storeProblemOf(h, usage);
  return {
    ready: running && mqttListening && !problem,
    checks: {
      log: running || problem ? h.state : 'closed',
      ...(problem ? { store_error: problem } : {}),
      mqtt: broker ? (mqttListening ? 'listening' : 'down') : 'disabled', uplink: uplink?.state ?? 'disabled',
    },
  };
}
