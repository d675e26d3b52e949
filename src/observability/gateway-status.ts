// What the gateway says about itself: the status document (retained on
// lpr/gateway/<id>/status locally and upstream, and part of the status page) and the
// readiness answer behind /readyz.
import type { RecordLog } from '../log/record-log.js';
import type { BacklogMonitor } from '../outbound/backlog-monitor.js';
import type { LocalBroker } from '../outbound/local-broker.js';
import type { Uplink } from '../outbound/uplink.js';
import { VERSION } from '../version.js';

export interface StatusSources {
  gatewayId: string;
  startedAt: string;
  log: RecordLog;
  uplink: Uplink | undefined;
  backlog: BacklogMonitor | undefined;
}

export function gatewayStatusDocument(s: StatusSources): Record<string, unknown> {
  const { uplink, log } = s;
  return {
    state: 'online', gateway_id: s.gatewayId, version: VERSION, started_at: s.startedAt, time: new Date().toISOString(),
    uplink: uplink
      ? {
          state: uplink.state, connected_since: uplink.connectedSince, offline_since: uplink.offlineSince,
          last_error: uplink.lastError, last_error_at: uplink.lastErrorAt, parked: log.parkedCount(),
          // Messages the JSON lane may have in flight now: sized to the link (link-window.ts).
          window: uplink.meta.windowSize,
        }
      : { state: 'disabled' },
    backlog: s.backlog?.snapshot() ?? null,
    cameras: log.stats().cameras.length,
  };
}

/** Ready = started, the store accepting writes, and the broker (when on) listening. */
export function readinessOf(running: boolean, log: RecordLog, broker: LocalBroker | undefined, uplink: Uplink | undefined) {
  const mqttListening = !broker || broker.address() !== undefined;
  const h = log.health();
  const storeOk = h.state === 'open';
  return {
    ready: running && mqttListening && storeOk,
    checks: {
      log: running ? h.state : 'closed',
      ...(storeOk ? {} : { store_error: { code: h.code, reason: h.reason, since: h.since } }),
      mqtt: broker ? (mqttListening ? 'listening' : 'down') : 'disabled', uplink: uplink?.state ?? 'disabled',
    },
  };
}
