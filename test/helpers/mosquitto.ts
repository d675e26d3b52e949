// A real Mosquitto broker on a loopback port, stoppable and restartable on the same port,
// playing the cloud broker. Persistence on (saved at stop) so that a test subscriber's
// persistent session keeps what arrives while it reconnects, across a restart of the broker.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';

export class Mosquitto {
  private child: ChildProcess | undefined;
  private readonly tmp = makeTempDir('lprgw-mosq-');
  port = 0;

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(extraConfig = ''): Promise<void> {
    if (!this.port) this.port = await freePort();
    const conf = join(this.tmp.dir, 'mosquitto.conf');
    writeFileSync(conf, [
      `listener ${this.port} 127.0.0.1`, 'allow_anonymous true', 'persistence true',
      `persistence_location ${this.tmp.dir}/`, 'max_queued_messages 0', 'max_inflight_messages 0',
      'log_dest none',
      // As root, Mosquitto drops to the mosquitto user, which cannot write into this 0700
      // temp dir: persistence silently did nothing, and a subscriber's persistent session
      // (and what queued for it) vanished with a restart of this broker. Stay root here.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      extraConfig,
    ].join('\n'));
    this.child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await canConnect(this.port)) return;
      await sleep(50);
    }
    throw new Error('mosquitto did not start');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    this.tmp.remove();
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
  });
}
