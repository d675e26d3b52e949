// Secrets never reach the logs: uplink password (also inside the URL), admin token,
// camera tokens, even at debug level and through failures.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { contractDetection, postJson } from '../helpers/payloads.js';
import { waitUntil } from '../helpers/wait-and-seed.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { freePort } from '../helpers/free-port.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('passwords and tokens are not logged', async () => {
  const tmp = makeTempDir();
  const port = await freePort();
  const config = join(tmp.dir, 'gw.yaml');
  writeFileSync(config, 'camera:\n  tokens:\n    c9: "camera-token-SECRET-3"\n');
  const gw = await spawnGateway({
    LPRGW_DATA_DIR: join(tmp.dir, 'data'), LPRGW_CONFIG: config, LPRGW_LOG_LEVEL: 'debug',
    LPRGW_UPLINK_URL: `mqtt://edge:url-SECRET-1@127.0.0.1:${port}`, LPRGW_UPLINK_USERNAME: 'edge', LPRGW_UPLINK_PASSWORD: 'password-SECRET-2',
    LPRGW_ADMIN_TOKEN: 'admin-SECRET-4',
  });
  try {
    await postJson(`${gw.url}/api/detection`, contractDetection({ camera_id: 'c9' }));
    await fetch(`${gw.url}/api/detection`, { method: 'POST', headers: { authorization: 'Bearer camera-token-SECRET-3', 'content-type': 'application/json' }, body: '{bad json' });
    await fetch(`${gw.url}/api/admin/export`, { headers: { authorization: 'Bearer admin-SECRET-wrong' } });
    await waitUntil(() => gw.logs.some((l) => l.includes('uplink connect failed')), 15_000, 'a failed uplink connection attempt in the log')
  } finally {
    gw.child.kill('SIGTERM');
    await gw.exited;
    tmp.remove();
  }
  const logs = gw.logs.join('\n');
  assert.match(logs, /uplink connect failed/);
  for (const secret of ['url-SECRET-1', 'password-SECRET-2', 'camera-token-SECRET-3', 'admin-SECRET-4']) {
    assert.ok(!logs.includes(secret), `${secret} appears in the logs`);
  }
});
