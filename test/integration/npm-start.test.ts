// The README's first command as a person runs it: `npm start` serves, says where things
// are on a terminal, and stopping it stops the gateway (no node left holding the ports).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { builtGateway, ROOT } from '../helpers/built-gateway.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ENV = { LPRGW_HTTP_HOST: '127.0.0.1', LPRGW_HTTP_PORT: '0', LPRGW_MQTT_HOST: '127.0.0.1', LPRGW_MQTT_PORT: '0' };

/** Spawns `cmd`, resolves with the first stdout line matching `ready` (fails on exit or after 90 s). */
function startUntil(cmd: string, args: string[], env: Record<string, string>, ready: RegExp) {
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  child.stderr.on('data', (d: Buffer) => lines.push(d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const line = new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no line matching ${ready} in 90 s:\n${lines.join('\n')}`)), 90_000);
    createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(l);
      if (ready.test(l)) {
        clearTimeout(timer);
        ok(l);
      }
    });
    void exited.then((code) => fail(new Error(`exited (${code}) early:\n${lines.join('\n')}`)));
  });
  return { child, line, lines, exited };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('npm start serves, and SIGTERM to npm stops the gateway with it', async () => {
  const tmp = makeTempDir();
  const run = startUntil('npm', ['start'], { ...ENV, LPRGW_DATA_DIR: tmp.dir, LPRGW_LOG_PRETTY: 'false' }, /"msg":"gateway listening"/);
  try {
    const { port } = JSON.parse(await run.line) as { port: number };
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    // The status page's Socket.IO client, found from the bundle in dist/.
    const client = await fetch(`http://127.0.0.1:${port}/assets/socket.io.min.js`);
    assert.equal(client.status, 200);
    assert.match(client.headers.get('content-type') ?? '', /javascript/);
    assert.match(await client.text(), /Socket\.IO v4/);
    const gatewayPids = execFileSync('pgrep', ['-P', String(run.child.pid)]).toString().trim().split('\n').map(Number);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0, run.lines.join('\n'));
    for (const pid of gatewayPids) {
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((ok) => setTimeout(ok, 100));
      assert.equal(alive(pid), false, `gateway process ${pid} outlived npm`);
    }
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'the port is free again');
  } finally {
    run.child.kill('SIGKILL');
    tmp.remove();
  }
});

test('with human-readable logs the start banner says where the status page, cameras, MQTT and data are', async () => {
  const tmp = makeTempDir();
  const run = startUntil(process.execPath, [builtGateway()], { ...ENV, LPRGW_DATA_DIR: tmp.dir, LPRGW_LOG_PRETTY: 'true' }, /stop with Ctrl-C/);
  try {
    await run.line;
    const text = run.lines.join('\n');
    const web = /status page\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
    assert.ok(web, text);
    assert.equal((await fetch(`http://127.0.0.1:${web[1]}/healthz`)).status, 200);
    assert.match(text, /MQTT\s+mqtt:\/\/127\.0\.0\.1:\d+/);
    assert.match(text, /uplink\s+off \(set uplink\.url or LPRGW_UPLINK_URL\)/);
    assert.ok(text.includes(`data          ${tmp.dir}`), text);
    assert.match(text, /INFO.*gateway listening/, 'log lines are pino-pretty, not JSON');
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  } finally {
    run.child.kill('SIGKILL');
    tmp.remove();
  }
});
