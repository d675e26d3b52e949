// The lines a person starting the gateway in a terminal wants first: where the status
// page, the camera API and the broker are, whether the uplink is on, where data lives.
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import type { GatewayConfig } from '../config/schema.js';
import { safeUrl } from '../outbound/uplink.js';
import { VERSION } from '../version.js';

export function startBanner(config: GatewayConfig, http: AddressInfo, mqtt: AddressInfo | undefined): string {
  const hosts = reachableHosts(http.address);
  const web = hosts.map((h) => `http://${h}:${http.port}/`).join('  ');
  const lines = [
    `lpr-edge-gateway ${VERSION} is running (gateway ${config.gatewayId}, checkpoint ${config.checkpointId})`,
    `  status page   ${web}`,
    `  cameras       Socket.IO and REST (POST /api/statistics) on port ${http.port}`,
    `  MQTT          ${mqtt ? reachableHosts(mqtt.address).map((h) => `mqtt://${h}:${mqtt.port}`).join('  ') : 'off (mqtt.enabled: false)'}`,
    `  uplink        ${config.uplink.url ? safeUrl(config.uplink.url) : 'off (set uplink.url or LPRGW_UPLINK_URL)'}`,
    `  data          ${resolve(config.dataDir)}`,
    '  stop with Ctrl-C',
  ];
  return `${lines.join('\n')}\n`;
}

/** A wildcard bind is reachable on loopback and on every LAN address. */
function reachableHosts(address: string): string[] {
  if (address !== '0.0.0.0' && address !== '::') return [address.includes(':') ? `[${address}]` : address];
  const lan = Object.values(networkInterfaces()).flat()
    .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
  return ['127.0.0.1', ...lan];
}
