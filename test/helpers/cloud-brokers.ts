// Real cloud brokers besides Mosquitto, started privately by the tests (Debian packages,
// no systemd): RabbitMQ 3.10 with its MQTT plugin, and NATS 2.9 with JetStream's MQTT
// listener. Each runs on random loopback ports with its own data dir, can be stopped and
// started again on the same ports (an outage), and fails fast when its package is missing.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';

export interface CloudBroker {
  readonly name: string;
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

function need(binary: string, pkg: string): void {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: install the Debian package ${pkg} (.ci/run does)`);
}

export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((ok) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        ok(true);
      });
      s.once('error', () => ok(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((ok) => child.once('exit', () => ok()));
}

/** RabbitMQ as its own user, private node name, ports and data dir (stack-notes.md). */
export class RabbitMq implements CloudBroker {
  readonly name = 'RabbitMQ';
  private readonly tmp = makeTempDir('lprgw-rabbit-');
  private child: ChildProcess | undefined;
  private env: NodeJS.ProcessEnv = {};
  private mqttPort = 0;

  get url(): string {
    return `mqtt://127.0.0.1:${this.mqttPort}`;
  }

  async start(): Promise<void> {
    need('/usr/lib/rabbitmq/bin/rabbitmq-server', 'rabbitmq-server');
    if (!this.mqttPort) await this.configure();
    this.child = spawn('runuser', ['-u', 'rabbitmq', '--', '/usr/lib/rabbitmq/bin/rabbitmq-server'], { env: this.env, stdio: 'ignore' });
    await waitForPort(this.mqttPort, 60_000, 'RabbitMQ MQTT');
  }

  private async configure(): Promise<void> {
    const dir = this.tmp.dir;
    chmodSync(dir, 0o755);
    const [amqp, mqttPort, dist, epmd] = [await freePort(), await freePort(), await freePort(), await freePort()];
    this.mqttPort = mqttPort;
    writeFileSync(join(dir, 'rabbitmq.conf'), [
      `listeners.tcp.default = 127.0.0.1:${amqp}`, `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
      'mqtt.allow_anonymous = true', 'loopback_users = none', 'management_agent.disable_metrics_collector = true',
    ].join('\n'));
    writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
    for (const d of ['mnesia', 'log', 'home']) mkdirSync(join(dir, d));
    execFileSync('chown', ['-R', 'rabbitmq:rabbitmq', dir]);
    this.env = {
      PATH: process.env.PATH, HOME: join(dir, 'home'), RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'), RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'), RABBITMQ_NODENAME: `lprgw${mqttPort}@localhost`, RABBITMQ_DIST_PORT: String(dist),
      ERL_EPMD_PORT: String(epmd), RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
    };
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    try {
      execFileSync('runuser', ['-u', 'rabbitmq', '--', '/usr/lib/rabbitmq/bin/rabbitmqctl', 'stop'], { env: this.env, stdio: 'ignore', timeout: 60_000 });
    } catch {
      child.kill('SIGKILL');
    }
    await exited(child);
    this.child = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop().catch(() => undefined);
    // The epmd the node started on its private port.
    if (this.env.ERL_EPMD_PORT) {
      try {
        execFileSync('epmd', ['-kill'], { env: { ...process.env, ERL_EPMD_PORT: this.env.ERL_EPMD_PORT }, stdio: 'ignore', timeout: 5000 });
      } catch {
        // already gone
      }
    }
    this.tmp.remove();
  }
}

/** NATS with JetStream and its MQTT listener (MQTT 3.1.1, QoS 0/1). */
export class Nats implements CloudBroker {
  readonly name = 'NATS';
  private readonly tmp = makeTempDir('lprgw-nats-');
  private child: ChildProcess | undefined;
  private mqttPort = 0;
  private conf = '';

  get url(): string {
    return `mqtt://127.0.0.1:${this.mqttPort}`;
  }

  async start(): Promise<void> {
    need('/usr/sbin/nats-server', 'nats-server');
    if (!this.mqttPort) {
      const [client, mqttPort] = [await freePort(), await freePort()];
      this.mqttPort = mqttPort;
      this.conf = join(this.tmp.dir, 'nats.conf');
      writeFileSync(this.conf, [
        `server_name: lprgw_${mqttPort}`, `listen: 127.0.0.1:${client}`, 'max_payload: 8MB',
        `jetstream { store_dir: "${join(this.tmp.dir, 'js')}" }`, `mqtt { listen: 127.0.0.1:${mqttPort} }`,
      ].join('\n'));
    }
    this.child = spawn('/usr/sbin/nats-server', ['-c', this.conf], { stdio: 'ignore' });
    await waitForPort(this.mqttPort, 20_000, 'NATS MQTT');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    await exited(child);
    this.child = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.tmp.remove();
  }
}
