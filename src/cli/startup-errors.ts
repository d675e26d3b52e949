// Start-up failures an operator can fix, as one line naming the setting and what to do —
// not a stack trace. Anything not recognised here is reported with its stack as before.
import { resolve } from 'node:path';
import type { GatewayConfig } from '../config/schema.js';
import { ListenError } from '../listen-on.js';
import { storeHolder } from '../log/open-store.js';

const ENV_OF: Record<string, string> = {
  'http.port': 'LPRGW_HTTP_PORT', 'mqtt.port': 'LPRGW_MQTT_PORT', dataDir: 'LPRGW_DATA_DIR',
};

export interface StartupProblem {
  setting: string;
  message: string;
}

export function explainStartupError(err: unknown, config: GatewayConfig): StartupProblem | undefined {
  const env = (setting: string) => (ENV_OF[setting] ? ` / ${ENV_OF[setting]}` : '');
  if (err instanceof ListenError) {
    const where = `${err.host}:${err.port}`;
    if (err.code === 'EADDRINUSE') {
      return { setting: err.setting, message: `${err.setting}: ${where} is already in use by another program — stop it, or choose another port (${err.setting}${env(err.setting)})` };
    }
    if (err.code === 'EACCES') {
      return { setting: err.setting, message: `${err.setting}: no permission to listen on ${where} — ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port ≥ 1024 (${err.setting}${env(err.setting)})` };
    }
    if (err.code === 'EADDRNOTAVAIL') {
      return { setting: err.setting, message: `${err.setting}: ${err.host} is not an address of this machine — check the host setting next to ${err.setting}` };
    }
    return { setting: err.setting, message: err.message };
  }
  const dir = resolve(config.dataDir);
  const codes = causeCodes(err);
  if (codes.includes('LEVEL_LOCKED')) {
    const pid = storeHolder(dir);
    return {
      setting: 'dataDir',
      message: `dataDir: ${dir} is in use by another gateway${pid ? ` (pid ${pid})` : ''} — stop it (systemctl stop lpr-gateway), or give this one its own data directory (dataDir${env('dataDir')})`,
    };
  }
  if (codes.includes('LPRGW_STORE_FORMAT')) {
    const message = err instanceof Error ? err.message : String(err);
    return { setting: 'dataDir', message: `dataDir: ${message} (dataDir${env('dataDir')}; docs/EVIDENCE.md §7)` };
  }
  const denied = ['EACCES', 'EPERM', 'EROFS'].find((c) => codes.includes(c));
  if (denied) {
    const uid = process.getuid?.();
    return {
      setting: 'dataDir',
      message: `dataDir: ${dir} is not writable${uid === undefined ? '' : ` by this user (uid ${uid})`}${denied === 'EROFS' ? ' (read-only filesystem)' : ''} — fix its ownership (chown), or choose another directory (dataDir${env('dataDir')})`,
    };
  }
  return undefined;
}

/** Error codes along the cause chain (LevelDB wraps its reasons twice). */
function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}
