// LocalBroker.hasSubscribers, with a real aedes and real MQTT clients on loopback: the local
// publisher reads an image file only when someone would get the image — a connected
// client's matching subscription, or a persistent session's while it is offline.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import mqtt from 'mqtt';
import pino from 'pino';
import { LocalBroker } from '../../src/outbound/local-broker.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const IMAGE = 'lpr/cp/cam/image/0190a1b2-c3d4-7e5f-8a9b-000000000001/original_image';

test('an image topic has subscribers exactly while a matching subscription exists, online or in a persistent session', async () => {
  const tmp = makeTempDir();
  const broker = new LocalBroker({ host: '127.0.0.1', port: 0, location: tmp.dir, allowAnonymous: true, users: [], logger: pino({ level: 'silent' }) });
  await broker.start();
  after(async () => {
    await broker.stop();
    tmp.remove();
  });
  const url = `mqtt://127.0.0.1:${broker.address()!.port}`;
  assert.equal(await broker.hasSubscribers(IMAGE), false, 'nobody connected');

  const detections = await mqtt.connectAsync(url, { clientId: 'detections-only' });
  await detections.subscribeAsync('lpr/+/+/detection', { qos: 1 });
  assert.equal(await broker.hasSubscribers(IMAGE), false, 'a subscriber to detections only');
  assert.equal(await broker.hasSubscribers('lpr/cp/cam/detection'), true, 'its own topic');

  const live = await mqtt.connectAsync(url, { clientId: 'images-live' });
  await live.subscribeAsync('lpr/+/+/image/#', { qos: 0 });
  assert.equal(await broker.hasSubscribers(IMAGE), true, 'a connected wildcard subscriber');
  await live.unsubscribeAsync('lpr/+/+/image/#');
  assert.equal(await broker.hasSubscribers(IMAGE), false, 'after it unsubscribed');

  const durable = await mqtt.connectAsync(url, { clientId: 'images-durable', clean: false });
  await durable.subscribeAsync('lpr/cp/#', { qos: 1 });
  await durable.endAsync();
  assert.equal(await broker.hasSubscribers(IMAGE), true, 'a persistent session, offline: the image is queued for it');

  await Promise.all([detections.endAsync(), live.endAsync()]);
});
