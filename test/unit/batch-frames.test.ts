// batchFrames: the replies engine.io flushes together reach the kernel in one write, not
// one per frame — with a real Socket.IO server and client on loopback, counting the
// server-side TCP socket's writes while 20 acks and 20 reply events are answered at once.
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as TcpSocket } from 'node:net';
import { after, test } from 'node:test';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { batchFrames } from '../../src/inbound/socketio/batch-frames.js';

const BURST = 20;

interface Counted {
  writes: number;
}

/** A server that holds each burst's messages and answers them all in one tick (as a group
 *  commit does), counting the kernel writes (_writev/_write) of each connection's TCP socket. */
async function startServer(batched: boolean): Promise<{ http: HttpServer; url: string; counted: Counted }> {
  const http = createServer();
  const ioServer = new Server(http, { transports: ['websocket'] });
  const counted: Counted = { writes: 0 };
  ioServer.on('connection', (socket) => {
    const tcp = (socket.conn as unknown as { transport: { socket: { _socket: TcpSocket } } }).transport.socket._socket;
    const w = tcp as unknown as { _writev: (...a: unknown[]) => unknown; _write: (...a: unknown[]) => unknown };
    for (const name of ['_writev', '_write'] as const) {
      const original = w[name].bind(tcp);
      w[name] = (...args: unknown[]) => {
        counted.writes += 1;
        return original(...args);
      };
    }
    if (batched) batchFrames(socket);
    let held: (() => void)[] = [];
    socket.on('lpr_data', (n: number, ack: (body: unknown) => void) => {
      held.push(() => {
        ack({ success: true, n });
        socket.emit('lpr_response', { success: true, n });
      });
      if (held.length === BURST) {
        const answers = held;
        held = [];
        for (const a of answers) a();
      }
    });
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  return { http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, counted };
}

async function burst(url: string, counted: Counted): Promise<{ writes: number; acks: number[]; replies: number[] }> {
  const client: ClientSocket = connect(url, { transports: ['websocket'], forceNew: true });
  after(() => client.close());
  await new Promise<void>((ok, fail) => {
    client.once('connect', () => ok());
    client.once('connect_error', fail);
  });
  const replies: number[] = [];
  const allReplies = new Promise<void>((ok) => client.on('lpr_response', (b: { n: number }) => {
    replies.push(b.n);
    if (replies.length === BURST) ok();
  }));
  const before = counted.writes;
  const acks = await Promise.all(Array.from({ length: BURST }, (_, n) => new Promise<number>((ok) => client.emit('lpr_data', n, (b: { n: number }) => ok(b.n)))));
  await allReplies;
  client.close();
  return { writes: counted.writes - before, acks, replies };
}

test('a burst of replies leaves the server in two TCP writes when batched, one per frame when not', async () => {
  const plain = await startServer(false);
  const batched = await startServer(true);
  after(() => {
    plain.http.close();
    batched.http.close();
  });
  const unbatched = await burst(plain.url, plain.counted);
  const together = await burst(batched.url, batched.counted);
  const inOrder = Array.from({ length: BURST }, (_, n) => n);
  // Every ack and reply event arrives, in order, either way.
  for (const r of [unbatched, together]) {
    assert.deepEqual(r.acks, inOrder);
    assert.deepEqual(r.replies, inOrder);
  }
  // engine.io writes the first frame at once and queues the rest until that write is done:
  // 1 + 39 writes plain, 1 + 1 batched.
  assert.ok(unbatched.writes >= 2 * BURST - 1, `plain: ${unbatched.writes} writes`);
  assert.equal(together.writes, 2, `batched: ${together.writes} writes`);
});
