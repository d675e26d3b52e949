// A central LPR server written by someone else — Flask-SocketIO 5.3 on eventlet, Debian's
// packages (test/interop/central_server.py) — on a loopback port, stoppable and restartable
// on the same port; what it received survives its restarts (a JSON-lines file).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './built-gateway.js';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';

export interface Received {
  transport: 'socketio' | 'rest';
  event: string;
  body: Record<string, any>;
  sid: string | null;
}

const SCRIPT = join(ROOT, 'test', 'interop', 'central_server.py');

export class CentralServer {
  private child: ChildProcess | undefined;
  private readonly tmp = makeTempDir('lprgw-central-');
  private stderr = '';
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    // Debian's interpreter: a python3 earlier on PATH may not see Debian's packages.
    this.child = spawn('/usr/bin/python3', [SCRIPT, String(this.port), join(this.tmp.dir, 'received.jsonl')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    for (let i = 0; i < 200; i++) {
      if (this.child.exitCode !== null) throw new Error(`the central server exited: ${this.stderr} (apt-get install python3-flask-socketio python3-eventlet)`);
      const up = await fetch(`${this.url}/api/test`).then((r) => r.ok, () => false);
      if (up) return;
      await sleep(50);
    }
    throw new Error(`the central server did not start in 10 s: ${this.stderr}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  received(): Received[] {
    const file = join(this.tmp.dir, 'received.jsonl');
    if (!existsSync(file)) return [];
    // The last piece may be a line the server is still writing: only whole lines count.
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.pop();
    return lines.filter(Boolean).map((l) => JSON.parse(l) as Received);
  }

  async control(settings: { block_socketio: boolean }): Promise<void> {
    const res = await fetch(`${this.url}/_control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
    if (!res.ok) throw new Error(`control: ${res.status}`);
  }

  async connected(): Promise<string[]> {
    return (await (await fetch(`${this.url}/_connected`)).json()) as string[];
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.tmp.remove();
  }
}
