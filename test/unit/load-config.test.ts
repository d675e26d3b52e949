import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { configSchema } from '../../src/config/schema.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('config/default.yaml says exactly what the schema defaults are', () => {
  const fromFile = loadConfig({ env: {} });
  const fromSchema = configSchema.parse({});
  assert.deepEqual(fromFile, fromSchema);
  assert.equal(fromFile.http.port, 8765);
  assert.equal(fromFile.http.maxMessageBytes, 16 * 1024 * 1024);
  assert.equal(fromFile.dataDir, './data');
  assert.equal(fromFile.camera.timezone, 'Asia/Bangkok');
  assert.equal(fromFile.camera.dedupeWindow, 86_400_000);
});

test('operator file overrides defaults; environment overrides both', () => {
  const tmp = makeTempDir();
  try {
    const file = join(tmp.dir, 'gw.yaml');
    writeFileSync(file, 'http:\n  port: 9000\n  maxMessageBytes: 2MiB\ncamera:\n  dedupeWindow: 1h\n');
    const c = loadConfig({ file, env: { LPRGW_HTTP_PORT: '9100', LPRGW_CAMERA_TZ: 'UTC', LPRGW_CAMERA_NETWORKS: '10.1.0.0/16, 127.0.0.1/32', LPRGW_UPLINK_URL: 'mqtt://cloud:1883' } });
    assert.equal(c.http.port, 9100);
    assert.equal(c.http.maxMessageBytes, 2 * 1024 * 1024);
    assert.equal(c.camera.dedupeWindow, 3_600_000);
    assert.equal(c.camera.timezone, 'UTC');
    assert.deepEqual(c.camera.networks, ['10.1.0.0/16', '127.0.0.1/32']);
    assert.equal(c.uplink.url, 'mqtt://cloud:1883');
    assert.equal(loadConfig({ file, env: { LPRGW_CONFIG: 'ignored-when-file-given' } }).http.port, 9000);
  } finally {
    tmp.remove();
  }
});

test('every documented LPRGW_ variable is understood', () => {
  const env = {
    LPRGW_DATA_DIR: '/srv/gw', LPRGW_HTTP_HOST: '127.0.0.1', LPRGW_HTTP_PORT: '1', LPRGW_MQTT_HOST: '127.0.0.2',
    LPRGW_MQTT_PORT: '2', LPRGW_UPLINK_URL: 'mqtts://x:8883', LPRGW_UPLINK_USERNAME: 'u', LPRGW_UPLINK_PASSWORD: 'p',
    LPRGW_UPLINK_TOPIC_PREFIX: 'site/', LPRGW_GATEWAY_ID: 'gw-1', LPRGW_CAMERA_TZ: 'Europe/Berlin', LPRGW_LOG_LEVEL: 'debug',
    LPRGW_STORE_MAX_BYTES: '10GB', LPRGW_DISK_FREE_MIN_BYTES: '1GiB', LPRGW_CAMERA_NETWORKS: '10.0.0.0/8', LPRGW_ADMIN_TOKEN: 'secret',
  };
  const c = loadConfig({ env });
  assert.deepEqual(
    [c.dataDir, c.http.host, c.http.port, c.mqtt.host, c.mqtt.port, c.uplink.url, c.uplink.username, c.uplink.password,
      c.uplink.topicPrefix, c.gatewayId, c.camera.timezone, c.log.level, c.store.maxBytes, c.store.diskFreeMinBytes,
      c.camera.networks, c.admin.token],
    ['/srv/gw', '127.0.0.1', 1, '127.0.0.2', 2, 'mqtts://x:8883', 'u', 'p', 'site/', 'gw-1', 'Europe/Berlin', 'debug',
      10e9, 1024 ** 3, ['10.0.0.0/8'], 'secret'],
  );
});

test('bad values stop start-up with a message naming the key (and the variable)', () => {
  const bad = (env: Record<string, string>, pattern: RegExp) =>
    assert.throws(() => loadConfig({ env }), (err: Error) => err instanceof ConfigError && pattern.test(err.message));
  bad({ LPRGW_HTTP_PORT: '70000' }, /http\.port: .*LPRGW_HTTP_PORT/);
  bad({ LPRGW_HTTP_PORT: 'eighty' }, /http\.port/);
  bad({ LPRGW_CAMERA_TZ: 'Mars/Olympus' }, /camera\.timezone: not a known IANA time zone/);
  bad({ LPRGW_LOG_LEVEL: 'loud' }, /log\.level/);
  bad({ LPRGW_GATEWAY_ID: 'a/b' }, /gatewayId/);
  bad({ LPRGW_MAX_MESSAGE_BYTES: 'big' }, /http\.maxMessageBytes/);
  bad({ LPRGW_FORWARD_URL: 'mqtt://central:8765' }, /forward\.url: must be empty \(no forward\) or the central server's URL.*LPRGW_FORWARD_URL/);
  bad({ LPRGW_FORWARD_TRANSPORT: 'carrier-pigeon' }, /forward\.transport/);
  assert.equal(loadConfig({ env: { LPRGW_FORWARD_URL: 'http://100.95.46.128:8765' } }).forward.url, 'http://100.95.46.128:8765');
});

test('unknown keys are reported, not ignored', () => {
  const tmp = makeTempDir();
  try {
    const file = join(tmp.dir, 'gw.yaml');
    writeFileSync(file, 'http:\n  prot: 9000\nextra: 1\n');
    assert.throws(() => loadConfig({ file, env: {} }), /http\.prot: unknown setting[\s\S]*extra: unknown setting/);
    writeFileSync(file, '- a list\n');
    assert.throws(() => loadConfig({ file, env: {} }), /must hold a mapping/);
    assert.throws(() => loadConfig({ file: join(tmp.dir, 'missing.yaml'), env: {} }), /cannot read config file/);
  } finally {
    tmp.remove();
  }
});
