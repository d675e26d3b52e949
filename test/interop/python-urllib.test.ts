// Interop: Python's urllib as a camera, a client that writes the whole body before it reads
// anything. Over the size limit it must get the 413 JSON answer, not a broken pipe: the
// gateway reads and drops the rest of the body before answering (camera-posts.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';

// Debian's interpreter (a python3 earlier on PATH may be another one); stdlib only.
const SCRIPT = `
import json, sys, urllib.request, urllib.error
url, size, chunked = sys.argv[1], int(sys.argv[2]), sys.argv[3] == 'chunked'
body = b'{"type":"detection_result","camera_id":"py1","timestamp":"2024-12-19T10:00:00Z","vehicles_count":1,"plates_count":1,"padding":"' + b'A' * size + b'"}'
data = iter([body[i:i + 65536] for i in range(0, len(body), 65536)]) if chunked else body
req = urllib.request.Request(url, data=data, headers={'Content-Type': 'application/json'})
try:
    with urllib.request.urlopen(req, timeout=60) as r:
        print(json.dumps({'status': r.status, 'body': json.loads(r.read())}))
except urllib.error.HTTPError as e:
    print(json.dumps({'status': e.code, 'body': json.loads(e.read())}))
`;

async function pythonPost(url: string, size: number, mode: 'length' | 'chunked'): Promise<{ status: number; body: any }> {
  const child = spawn('/usr/bin/python3', ['-c', SCRIPT, url, String(size), mode]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  assert.equal(code, 0, `python exited ${code}: ${err}`);
  return JSON.parse(out) as { status: number; body: any };
}

describe('Python urllib, a client that sends everything before reading', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ http: { maxMessageBytes: '4MiB' } });
  });
  after(() => gw.stop());

  for (const mode of ['length', 'chunked'] as const) {
    test(`a body over the limit (${mode === 'length' ? 'Content-Length' : 'chunked'}) gets 413 with the JSON error body`, async () => {
      const r = await pythonPost(`${gw.url}/api/detection`, 5 * 1024 * 1024, mode);
      assert.equal(r.status, 413);
      assert.equal(r.body.success, false);
      assert.equal(r.body.error.code, 'PAYLOAD_TOO_LARGE');
    });
  }

  test('and a body within the limit is stored as usual', async () => {
    const r = await pythonPost(`${gw.url}/api/detection`, 1024, 'length');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(r.body.detection_id, /^[0-9a-f-]{36}$/);
  });
});
