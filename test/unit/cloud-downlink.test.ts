// The cloud's messages down to the gateway (outbound/cloud-downlink.ts), against aedes in
// this process: retained entries arrive once subscribed; a message the inbox cannot store
// is not acknowledged and comes again; what the centre sends while the gateway is away
// waits in the persistent session, and a reconnect does not bring the retained entries a
// second time (no new subscription when the session is still there).
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { Aedes } from 'aedes';
import pino from 'pino';
import { CloudDownlink, type Inbox } from '../../src/outbound/cloud-downlink.js';
import { waitUntil } from '../helpers/wait-and-seed.js';

async function broker() {
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  after(async () => {
    await new Promise<void>((ok) => aedes.close(() => ok()));
    await new Promise<void>((ok) => server.close(() => ok()));
  });
  const publish = (topic: string, payload: string, retain = false) =>
    new Promise<void>((ok, fail) => aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false }, (err) => (err ? fail(err) : ok())));
  return { url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, publish };
}

/** An inbox that stores what it gets, failing the first delivery of topics in `failOnce`. */
function inbox(failOnce: Set<string> = new Set()): Inbox & { got: string[]; tries: string[] } {
  const got: string[] = [];
  const tries: string[] = [];
  return {
    got, tries,
    topics: () => ['lpr/hotlist/+'],
    async receive(topic, payload) {
      tries.push(topic);
      if (failOnce.delete(topic)) throw new Error('disk full');
      got.push(`${topic}=${payload.toString()}`);
    },
  };
}

const options = (url: string) => ({
  url, username: '', password: '', protocolVersion: 4 as const, ca: '', cert: '', key: '', connectTimeoutMs: 2000, clientId: 'gw-in', reconnectMs: 50,
});

test('retained entries arrive; one the inbox cannot store comes again; the session keeps what came while away, without the retained ones again', async () => {
  const b = await broker();
  await b.publish('lpr/hotlist/AB1', '{"reason":"stolen"}', true);
  const box = inbox(new Set(['lpr/hotlist/CD2']));
  const first = new CloudDownlink(options(b.url), box, pino({ level: 'silent' }));
  await first.start();
  await waitUntil(() => box.got.length === 1, 5000, 'the retained entry');
  assert.equal(first.state, 'online');

  await b.publish('lpr/hotlist/CD2', '{"reason":"wanted"}');
  await waitUntil(() => box.got.length === 2, 5000, 'the entry, after its first delivery failed');
  assert.deepEqual(box.tries.filter((t) => t.endsWith('CD2')).length, 2, 'delivered again, not lost');
  assert.equal(first.received, 2);
  await first.stop();
  assert.equal(first.state, 'stopped');

  await b.publish('lpr/hotlist/EF3', ''); // a removal while the gateway is away
  const again = new CloudDownlink(options(b.url), box, pino({ level: 'silent' }));
  await again.start();
  await waitUntil(() => box.got.length === 3, 5000, 'what came while away');
  assert.deepEqual(box.got, ['lpr/hotlist/AB1={"reason":"stolen"}', 'lpr/hotlist/CD2={"reason":"wanted"}', 'lpr/hotlist/EF3=']);
  await b.publish('lpr/hotlist/GH4', '{"reason":"marker"}');
  await waitUntil(() => box.got.length === 4, 5000, 'a marker message after the reconnect');
  assert.equal(box.got.filter((g) => g.startsWith('lpr/hotlist/AB1')).length, 1, 'the retained entry came once: the session kept the subscription');
  await again.stop();
});
