// The real gateway as a child process (the built bundle, dist/main.js), for crash, signal and
// interop tests. Ports are chosen by the OS (port 0) and read back from the JSON log.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { builtGateway, ROOT } from './built-gateway.js';
import { freePort } from './free-port.js';

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  port: number;
  mqttPort: number | undefined;
  logs: string[];
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

export async function spawnGateway(env: Record<string, string>, timeoutMs = 20_000): Promise<GatewayProcess> {
  return spawnWithStdout(env, 'pipe', timeoutMs);
}

/**
 * The gateway with its stdout somewhere else than this test's pipe (a file descriptor, or
 * a pipe this test does not read): its ports are chosen here, and start is seen on /healthz.
 */
export async function spawnGatewayWithStdout(env: Record<string, string>, stdout: number | 'unread-pipe', timeoutMs = 20_000): Promise<GatewayProcess> {
  const port = await freePort();
  const mqttPort = await freePort();
  const gw = await spawnWithStdout({ LPRGW_HTTP_PORT: String(port), LPRGW_MQTT_PORT: String(mqttPort), ...env }, stdout === 'unread-pipe' ? 'pipe' : stdout, timeoutMs, port);
  return { ...gw, mqttPort };
}

async function spawnWithStdout(env: Record<string, string>, stdout: 'pipe' | number, timeoutMs: number, knownPort?: number): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [builtGateway()], {
    cwd: ROOT,
    env: {
      ...process.env, LPRGW_HTTP_HOST: '127.0.0.1', LPRGW_HTTP_PORT: '0', LPRGW_MQTT_HOST: '127.0.0.1',
      LPRGW_MQTT_PORT: '0', LPRGW_LOG_LEVEL: 'info', LPRGW_LOG_PRETTY: 'false', ...env,
    },
    stdio: ['ignore', stdout, 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | string>((ok) => child.once('exit', (code, signal) => ok(code ?? signal ?? -1)));
  let mqttPort: number | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in ${timeoutMs} ms:\n${logs.join('\n')}`)), timeoutMs);
    child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
    void exited.then((code) => reject(new Error(`gateway exited (${code}) before listening:\n${logs.join('\n')}`)));
    if (knownPort !== undefined) {
      // Nothing read from stdout (the caller's pipe stays unread): poll the health probe.
      const probe = (): void => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        fetch(`http://127.0.0.1:${knownPort}/healthz`).then((r) => {
          if (r.ok) {
            clearTimeout(timer);
            resolve(knownPort);
          } else setTimeout(probe, 50);
        }, () => setTimeout(probe, 50));
      };
      probe();
      return;
    }
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'mqtt broker listening') mqttPort = entry.port;
        if (entry.msg === 'gateway listening' && entry.port) {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a JSON log line
      }
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, port, mqttPort, logs, exited };
}
