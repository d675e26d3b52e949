// Interop: Debian's python-socketio (what deployed cameras run) over polling-then-upgrade
// and WebSocket-only, and a replica of the deployed REST sender (python-requests),
// against the real gateway process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { getJson } from '../helpers/payloads.js';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PYTHON = '/usr/bin/python3';
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function runPython(script: string, args: string[], timeoutMs = 90_000): { lines: any[]; status: number | null; stderr: string } {
  const r = spawnSync(PYTHON, [here(script), ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  // Non-JSON lines (library warnings) are kept in stderr's place so a failure shows them.
  const lines: any[] = [];
  let other = r.stderr ?? '';
  for (const l of (r.stdout ?? '').split('\n').filter(Boolean)) {
    try {
      lines.push(JSON.parse(l));
    } catch {
      other += `\n[stdout] ${l}`;
    }
  }
  return { lines, status: r.status, stderr: `${other}${r.error ? `\n${r.error.message}` : ''}` };
}

describe('python cameras against the gateway process', () => {
  let gw: GatewayProcess;
  const tmp = makeTempDir();
  before(async () => {
    gw = await spawnGateway({ LPRGW_DATA_DIR: tmp.dir });
  });
  after(async () => {
    gw.child.kill('SIGTERM');
    assert.equal(await gw.exited, 0);
    tmp.remove();
  });

  for (const transport of ['polling', 'upgrade', 'websocket']) {
    test(`python-socketio over ${transport}: fire-and-forget detections with 3 MB images all stored`, async () => {
      const camera = `py-${transport}`;
      const r = runPython('python_camera.py', [gw.url, transport, '3', String(2.25 * 1024 * 1024), camera]);
      assert.equal(r.status, 0, r.stderr + JSON.stringify(r.lines).slice(0, 2000));
      const responses = r.lines.filter((l) => l.event === 'lpr_response');
      const context = `${r.stderr}\n${JSON.stringify(r.lines).slice(0, 2000)}`;
      assert.equal(responses.length, 3, context);
      assert.equal(r.lines.filter((l) => l.event === 'error').length, 0, context);
      for (const { body } of responses) {
        assert.equal(body.success, true);
        const rec = (await getJson(`${gw.url}/api/detections/${body.detection_id}`)).body.data;
        assert.equal(rec.camera_id, camera);
        assert.equal(rec.images[0].name, 'original_image');
        assert.equal(rec.images[0].content_type, 'image/jpeg');
        assert.match(rec.plates[0], /^กข \d{4}$/);
      }
      assert.equal(r.lines.find((l) => l.event === 'register_response').body.camera_id, camera);
      assert.equal(r.lines.find((l) => l.event === 'connected').transport, transport === 'polling' ? 'polling' : 'websocket');
      assert.equal(r.lines.find((l) => l.event === 'health_response').body.success, true);
    });
  }

  test('deployed REST sender replica: probe, one POST per record, every record acked once', async () => {
    const r = runPython('deployed_rest_camera.py', [gw.url, '60', '3', 'rest-7', '2000']);
    assert.equal(r.status, 0, r.stderr);
    const summary = r.lines.at(-1).summary;
    assert.equal(summary.acked, 60);
    assert.equal(summary.unsent, 0);
    const ids = Object.values(summary.ids) as string[];
    assert.equal(new Set(ids).size, 60);
    for (const id of ids.slice(0, 10)) assert.equal((await getJson(`${gw.url}/api/records/${id}`)).status, 200);
    // Running the same camera again resends the same records: same ids, nothing new stored.
    const before = (await getJson(`${gw.url}/api/statistics`)).body.data.total_records;
    const again = runPython('deployed_rest_camera.py', [gw.url, '60', '3', 'rest-7', '0']);
    const detIds = Object.entries(summary.ids).filter(([k]) => Number(k) % 5 !== 0);
    const againIds = again.lines.at(-1).summary.ids;
    // Images are random per run, so only health records (no image) are byte-identical resends.
    for (const [k, id] of Object.entries(summary.ids)) if (Number(k) % 5 === 0) assert.equal(againIds[k], id);
    assert.ok(detIds.length > 0);
    const afterCount = (await getJson(`${gw.url}/api/statistics`)).body.data.total_records;
    assert.equal(afterCount - before, 48, 'only the 48 detections with new images are new records');
  });
});
