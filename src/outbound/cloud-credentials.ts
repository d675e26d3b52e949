// What every connection to the cloud broker presents: protocol, credentials and TLS files
// (the uplink publishes on one connection, the downlink listens on another).
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';

export interface CloudBrokerOptions {
  url: string;
  username: string;
  password: string;
  protocolVersion: 4 | 5;
  ca: string;
  cert: string;
  key: string;
  connectTimeoutMs: number;
}

export function cloudCredentials(o: CloudBrokerOptions): IClientOptions {
  return {
    protocolVersion: o.protocolVersion, connectTimeout: o.connectTimeoutMs, keepalive: 30,
    username: o.username || undefined, password: o.password || undefined,
    ca: o.ca ? readFileSync(o.ca) : undefined, cert: o.cert ? readFileSync(o.cert) : undefined, key: o.key ? readFileSync(o.key) : undefined,
    rejectUnauthorized: true,
  };
}
