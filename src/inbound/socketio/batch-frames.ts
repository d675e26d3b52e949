// One TCP write for all the frames engine.io flushes at once on a WebSocket connection.
// engine.io hands its transport every packet queued while the previous write was in
// progress, and ws writes each as its own frame: uncorked, that is one writev syscall per
// frame, and with an ack and a reply event for every camera message, 2N syscalls for N
// messages answered together by one group commit (the largest single cost of durable
// Socket.IO ingest in the CPU profile). Corking the TCP socket around the hand-over makes
// them one. Frames, their order and their callbacks are unchanged; the wrap only applies
// when the pieces it relies on are there, otherwise engine.io sends as it always did.
import type { Socket } from 'socket.io';

interface Corkable {
  cork(): void;
  uncork(): void;
}

interface WsTransport {
  name: string;
  send(packets: unknown[]): void;
  /** ws's WebSocket; `_socket` is its TCP socket. */
  socket?: { _socket?: Partial<Corkable> };
}

const BATCHED = Symbol('lprgw.batchedFrames');

function batch(transport: WsTransport | undefined): void {
  if (!transport || transport.name !== 'websocket' || (transport as unknown as Record<symbol, boolean>)[BATCHED]) return;
  const tcp = transport.socket?._socket;
  if (typeof tcp?.cork !== 'function' || typeof tcp.uncork !== 'function') return;
  const raw = tcp as Corkable;
  const send = transport.send;
  transport.send = function sendCorked(this: WsTransport, packets: unknown[]): void {
    if (packets.length < 2) return send.call(this, packets);
    raw.cork();
    try {
      send.call(this, packets);
    } finally {
      raw.uncork();
    }
  };
  (transport as unknown as Record<symbol, boolean>)[BATCHED] = true;
}

/** Batches the frames of `socket`'s connection, now and after an upgrade to WebSocket. */
export function batchFrames(socket: Socket): void {
  const conn = socket.conn as unknown as { transport?: WsTransport; on(event: 'upgrade', fn: (t: WsTransport) => void): void };
  batch(conn.transport);
  conn.on('upgrade', (t) => batch(t));
}
