// The ports cameras and people reach: HTTP (and HTTPS when configured) with Socket.IO on
// the same port. Requests go to one handler (camera POSTs and image GETs ahead of express,
// then express); Socket.IO is configured for the cameras' clients. Stopping is two steps:
// no new connections (what is in flight finishes its appends), then close what is left.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Server as SocketServer } from 'socket.io';
import { listenOn } from '../listen-on.js';

export interface ListenerOptions {
  host: string;
  port: number;
  tls: { port: number; cert: string; key: string } | undefined;
  requestTimeout: number;
  maxConnections: number;
  pingTimeout: number;
  maxMessageBytes: number;
}

export interface Listeners {
  readonly io: SocketServer;
  listen(): Promise<void>;
  httpAddress(): AddressInfo;
  httpsAddress(): AddressInfo | undefined;
  /** No new connections; resolves once every connection has ended (see closeAll). */
  stopAccepting(): Promise<void>;
  /** Ends the connections still open (after the store closed). */
  closeAll(): void;
}

export function createListeners(o: ListenerOptions, handle: (req: IncomingMessage, res: ServerResponse) => void, logger: Logger): Listeners {
  const server: HttpServer = createServer(handle);
  const tlsServer: HttpServer | undefined = o.tls
    ? createHttpsServer({ cert: readFileSync(o.tls.cert), key: readFileSync(o.tls.key) }, handle)
    : undefined;
  const servers = tlsServer ? [server, tlsServer] : [server];
  for (const s of servers) {
    s.requestTimeout = o.requestTimeout;
    s.headersTimeout = Math.min(60_000, o.requestTimeout);
    s.maxConnections = o.maxConnections;
  }
  const io = new SocketServer(server, {
    allowEIO3: true,
    pingTimeout: o.pingTimeout,
    serveClient: false, // the status page's client is served by ops-routes
    // Polling clients batch several queued packets into one POST, and an over-limit request
    // is dropped by Engine.IO without an answer the camera understands: keep the transport
    // cap well above the per-message limit, which camera-socket.ts enforces with an error.
    maxHttpBufferSize: o.maxMessageBytes * 4,
  });
  if (tlsServer) io.attach(tlsServer);
  io.engine.on('connection_error', (err: { code: number; message: string; req?: { socket?: { remoteAddress?: string } } }) => {
    logger.warn({ code: err.code, remote: err.req?.socket?.remoteAddress }, `Socket.IO connection refused: ${err.message}`);
  });

  return {
    io,
    async listen() {
      await listenOn(server, o.port, o.host, 'http.port');
      if (tlsServer && o.tls) {
        await listenOn(tlsServer, o.tls.port, o.host, 'http.tls.port');
        logger.info({ host: o.host, port: (tlsServer.address() as AddressInfo).port }, 'https listening (TLS)');
      }
    },
    httpAddress: () => server.address() as AddressInfo,
    httpsAddress: () => tlsServer?.address() as AddressInfo | undefined,
    stopAccepting() {
      const closed = Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
      io.close();
      for (const s of servers) s.closeIdleConnections();
      return closed.then(() => undefined);
    },
    closeAll() {
      for (const s of servers) s.closeAllConnections();
    },
  };
}
