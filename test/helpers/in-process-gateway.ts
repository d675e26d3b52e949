// A real gateway (real LevelDB, real HTTP + Socket.IO on a random loopback port) inside
// the test process, for tests that do not need to kill the process.
import pino from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { createGateway, type Gateway, type GatewayParts } from '../../src/gateway.js';
import { makeTempDir } from './temp-dir.js';

export interface TestGateway {
  gateway: Gateway;
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestGateway(overrides: Record<string, unknown> = {}, dataDir?: string, parts: GatewayParts = {}): Promise<TestGateway> {
  const tmp = dataDir ? undefined : makeTempDir();
  const dir = dataDir ?? tmp!.dir;
  const base = { dataDir: dir, http: { host: '127.0.0.1', port: 0 }, mqtt: { enabled: false }, log: { level: 'silent' } };
  const config = loadConfig({ env: {}, overrides: deepMerge(base, overrides) });
  const gateway = createGateway(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), parts);
  await gateway.start();
  const { port } = gateway.httpAddress();
  return {
    gateway, url: `http://127.0.0.1:${port}`, dataDir: dir,
    async stop() {
      await gateway.stop();
      tmp?.remove();
    },
  };
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isObj(cur) && isObj(v) ? deepMerge(cur, v) : v;
  }
  return out;
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
