// One camera's Socket.IO connection to the central server, as that camera would hold it:
// connect, camera_register, then its records one at a time. The server sees the camera
// connected while this link is open (the forwarder closes it when the camera goes offline
// at the gateway). One message in flight: python-socketio runs each event's handler in a
// task of its own, so two in flight on one connection may be stored out of order.
import { io, type Socket } from 'socket.io-client';
import { ForwardError, refusalMessage, type CentralAnswer } from './central-answer.js';
import { registration, type ForwardMessage } from './forward-message.js';

export interface SocketLinkOptions {
  url: string;
  headers: Record<string, string>;
  ca?: Buffer | undefined;
  connectTimeoutMs: number;
  timeoutMs: number;
}

export class CameraSocketLink {
  private readonly socket: Socket;
  private closed = false;

  private constructor(socket: Socket, readonly cameraId: string) {
    this.socket = socket;
  }

  /** Connects and registers the camera; rejects with a connect ForwardError if it cannot. */
  static async open(o: SocketLinkOptions, cameraId: string, checkpointId: string): Promise<CameraSocketLink> {
    const socket = io(o.url, {
      reconnection: false, forceNew: true, timeout: o.connectTimeoutMs,
      // No message is deflated: base64 JPEG hardly compresses, and deflating each 100 KB
      // image message was most of the forward's CPU (bench:forward: 8.4 → 5.0 ms a record).
      perMessageDeflate: { threshold: Number.MAX_SAFE_INTEGER },
      // WebSocket first, long-polling where a proxy refuses it: over polling each message is
      // an HTTP request of its own until the connection upgrades.
      transports: ['websocket', 'polling'], tryAllTransports: true,
      extraHeaders: o.headers, ...(o.ca ? { ca: o.ca.toString('utf8') } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err: Error) => {
        socket.close();
        reject(new ForwardError(`Socket.IO connect: ${err.message}`, true));
      });
    });
    const link = new CameraSocketLink(socket, cameraId);
    socket.once('disconnect', () => {
      link.closed = true;
    });
    const answer = await link.send(registration(cameraId, checkpointId), o.timeoutMs);
    if (!answer.ok) {
      link.close();
      throw new ForwardError(`camera_register refused: ${answer.message}`);
    }
    return link;
  }

  get open(): boolean {
    return !this.closed && this.socket.connected;
  }

  /**
   * Emits one message and waits for the server's word: the ack (a handler that returns
   * nothing still acks), or the named reply, or an `error` event, whichever comes first.
   */
  send(m: ForwardMessage, timeoutMs: number): Promise<CentralAnswer> {
    const s = this.socket;
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        s.off(m.reply, onReply);
        s.off('error', onError);
        s.off('disconnect', onDisconnect);
        fn();
      };
      const judge = (body: unknown): CentralAnswer =>
        (body as { success?: unknown } | undefined)?.success === false ? { ok: false, message: refusalMessage(body), permanent: false } : { ok: true };
      const onReply = (body: unknown) => finish(() => resolve(judge(body)));
      const onError = (body: unknown) => finish(() => resolve({ ok: false, message: refusalMessage(body), permanent: false }));
      const onDisconnect = (reason: string) => finish(() => reject(new ForwardError(`Socket.IO disconnected (${reason}) before ${m.event} was answered`)));
      const timer = setTimeout(() => finish(() => {
        this.close(); // a connection that does not answer is not trusted with the next record
        reject(new ForwardError(`no answer to ${m.event} in ${timeoutMs} ms`));
      }), timeoutMs);
      if (!s.connected) return finish(() => reject(new ForwardError('Socket.IO not connected')));
      s.on(m.reply, onReply);
      s.on('error', onError);
      s.on('disconnect', onDisconnect);
      s.emit(m.event, m.body, (ack?: unknown) => finish(() => resolve(judge(ack))));
    });
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}
