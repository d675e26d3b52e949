// Interop: curl as a camera and an operator (a client we did not write).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { deployedDetection } from '../helpers/payloads.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';

// Asynchronous on purpose: the gateway runs in this process and must keep serving.
async function curl(args: string[], input?: string): Promise<{ status: number; body: any }> {
  const child = spawn('curl', ['-sS', '--max-time', '30', '-w', '\n%{http_code}', ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input ?? '');
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join('\n')) };
}

describe('curl', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ http: { maxMessageBytes: '1MiB' } });
  });
  after(() => gw.stop());

  test('POST a deployed detection from stdin, read it back', async () => {
    const post = await curl(['-X', 'POST', '-H', 'Content-Type: application/json', '--data-binary', '@-', `${gw.url}/api/statistics`], JSON.stringify(deployedDetection()));
    assert.equal(post.status, 200);
    const got = await curl([`${gw.url}/api/detections/${post.body.detection_id}`]);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.data.plates, ['กข 1234']);
  });

  test('over the size limit: 413 and a JSON error body, even with Expect: 100-continue', async () => {
    const big = JSON.stringify(deployedDetection({ original_image: Buffer.alloc(2 * 1024 * 1024, 1).toString('base64') }));
    const r = await curl(['-X', 'POST', '-H', 'Content-Type: application/json', '--data-binary', '@-', `${gw.url}/api/statistics`], big);
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'PAYLOAD_TOO_LARGE');
  });

  test('malformed JSON: 400 INVALID_JSON', async () => {
    const r = await curl(['-X', 'POST', '-d', '{"type":', `${gw.url}/api/detection`]);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'INVALID_JSON');
  });
});
