// An MQTT subscriber for tests (mqtt.js) that collects what it receives; with a fixed
// client id and clean=false its session (and queued QoS 1 messages) survive reconnects.
import mqtt, { type MqttClient } from 'mqtt';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Received {
  topic: string;
  payload: Buffer;
  retain: boolean;
  json?: any;
  /** Epoch ms it arrived. */
  at: number;
}

export class MqttCollector {
  readonly messages: Received[] = [];
  private client: MqttClient | undefined;

  constructor(private readonly url: string, private readonly filters: string[], private readonly clientId = `test-${Math.random().toString(36).slice(2)}`) {}

  async connect(): Promise<void> {
    const client = mqtt.connect(this.url, { clientId: this.clientId, clean: false, reconnectPeriod: 200, connectTimeout: 5000 });
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      let json: unknown;
      if (payload[0] === 0x7b) {
        try {
          json = JSON.parse(payload.toString('utf8'));
        } catch {
          // binary
        }
      }
      this.messages.push({ topic, payload, retain: packet.retain, json, at: Date.now() });
    });
    await new Promise<void>((ok, fail) => {
      client.once('connect', () => ok());
      client.once('error', fail);
    });
    if (this.filters.length > 0) await client.subscribeAsync(this.filters, { qos: 1 });
  }

  async waitFor(predicate: (msgs: Received[]) => boolean, timeoutMs = 30_000, what = 'messages'): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what} (have ${this.messages.length})`);
      await sleep(50);
    }
  }

  async close(): Promise<void> {
    await this.client?.endAsync();
  }
}
