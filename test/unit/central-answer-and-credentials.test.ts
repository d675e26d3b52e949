// Two small rules of the upstreams: the message a refusing central server gave, for the
// parked list (outbound/forward/central-answer.ts), and what every connection to the cloud
// broker presents (outbound/cloud-credentials.ts): no empty credentials, the PEM files
// read as given, certificates always verified.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ForwardError, refusalMessage } from '../../src/outbound/forward/central-answer.js';
import { cloudCredentials } from '../../src/outbound/cloud-credentials.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test("a refusal's message: {message}, {error: {message}}, {error: {code}}, else the body itself", () => {
  assert.equal(refusalMessage({ success: false, message: 'plate missing' }), 'plate missing');
  assert.equal(refusalMessage({ error: { message: 'bad camera' } }), 'bad camera');
  assert.equal(refusalMessage({ error: { code: 'E42' } }), 'E42');
  assert.equal(refusalMessage({ message: '', other: 1 }), '{"message":"","other":1}');
  assert.equal(refusalMessage(undefined), 'null');
  assert.equal(refusalMessage({ blob: 'x'.repeat(500) }).length, 200, 'bounded');
  assert.equal(new ForwardError('no route', true).connect, true);
  assert.equal(new ForwardError('5xx').connect, false);
});

test('cloud credentials: empty ones are left out, PEM files are read, verification is never off', () => {
  const tmp = makeTempDir();
  after(() => tmp.remove());
  const base = { url: 'mqtts://broker', username: '', password: '', protocolVersion: 5 as const, ca: '', cert: '', key: '', connectTimeoutMs: 3000 };
  const plain = cloudCredentials(base);
  assert.deepEqual([plain.username, plain.password, plain.ca, plain.cert, plain.key], [undefined, undefined, undefined, undefined, undefined]);
  assert.deepEqual([plain.protocolVersion, plain.connectTimeout, plain.rejectUnauthorized], [5, 3000, true]);
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tmp.dir, f), `-----${f}-----\n`);
  const full = cloudCredentials({ ...base, username: 'gw', password: 'pw', ca: join(tmp.dir, 'ca.pem'), cert: join(tmp.dir, 'cert.pem'), key: join(tmp.dir, 'key.pem') });
  assert.deepEqual([full.username, full.password], ['gw', 'pw']);
  assert.equal(full.ca?.toString(), '-----ca.pem-----\n');
  assert.equal(full.key?.toString(), '-----key.pem-----\n');
  assert.throws(() => cloudCredentials({ ...base, ca: join(tmp.dir, 'missing.pem') }), /ENOENT/, 'a missing CA file is an error, never "trust anything"');
});
