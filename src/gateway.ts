// Composition root: the one place that knows every part, wires them, and orders start/stop.
// Start: store → inbound listeners. Stop: inbound first (no new work) → store last.
import { mkdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { Server as SocketServer } from 'socket.io';
import type { GatewayConfig } from './config/schema.js';
import { createCameraRoutes } from './inbound/http/camera-routes.js';
import { createHttpApp } from './inbound/http/create-http-app.js';
import { createInfoRoutes } from './inbound/http/info-routes.js';
import { createRecordRoutes } from './inbound/http/record-routes.js';
import { createNetworkAllowlist } from './inbound/network-allowlist.js';
import { attachCameraSocket } from './inbound/socketio/camera-socket.js';
import { createIngest } from './ingest/ingest.js';
import { BlobStore } from './log/blob-store.js';
import { DiskAdmission } from './log/disk-admission.js';
import { LevelRecordLog } from './log/level-record-log.js';
import type { RecordLog } from './log/record-log.js';

export interface Gateway {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Bound HTTP address (port 0 in config → the real port once started). */
  httpAddress(): AddressInfo;
  readonly log: RecordLog;
}

/** Parts a caller may supply instead of the defaults (the benchmark's no-storage reference). */
export interface GatewayParts {
  log?: RecordLog;
  blobs?: BlobStore;
}

export function createGateway(config: GatewayConfig, logger: Logger, parts: GatewayParts = {}): Gateway {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const log = parts.log ?? new LevelRecordLog({
    location: join(dataDir, 'log'),
    dedupeWindowMs: config.camera.dedupeWindow,
    maxBatchRecords: config.store.maxBatchRecords,
  });
  const blobs = parts.blobs ?? new BlobStore(join(dataDir, 'blobs'));
  const admission = new DiskAdmission({ dir: dataDir, minFreeBytes: config.store.diskFreeMinBytes });
  const ingest = createIngest({
    log, blobs, logger, admission,
    timeZone: config.camera.timezone, defaultCheckpointId: config.checkpointId,
  });
  const cameraAllowed = createNetworkAllowlist(config.camera.networks);

  const app = createHttpApp({
    maxMessageBytes: config.http.maxMessageBytes,
    logger,
    routers: [
      createInfoRoutes({ log }),
      createCameraRoutes({ ingest, cameraAllowed, logger }),
      createRecordRoutes({ log, blobs }),
    ],
  });
  const server: HttpServer = createServer(app);
  server.requestTimeout = config.http.requestTimeout;
  server.headersTimeout = Math.min(60_000, config.http.requestTimeout);
  const io = new SocketServer(server, {
    allowEIO3: true,
    serveClient: false,
    // Polling clients batch several queued packets into one POST, and an over-limit request
    // is dropped by Engine.IO without an answer the camera understands: keep the transport
    // cap well above the per-message limit, which camera-socket.ts enforces with an error.
    maxHttpBufferSize: config.http.maxMessageBytes * 4,
  });
  io.engine.on('connection_error', (err: { code: number; message: string; req?: { socket?: { remoteAddress?: string } } }) => {
    logger.warn({ code: err.code, remote: err.req?.socket?.remoteAddress }, `Socket.IO connection refused: ${err.message}`);
  });
  attachCameraSocket(io, { ingest, logger, cameraAllowed, maxMessageBytes: config.http.maxMessageBytes });

  return {
    log,
    httpAddress: () => server.address() as AddressInfo,
    async start() {
      await blobs.open();
      await log.open();
      await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(config.http.port, config.http.host, () => {
          server.off('error', fail);
          ok();
        });
      });
      const addr = server.address() as AddressInfo;
      logger.info({ host: addr.address, port: addr.port, dataDir, lastSeq: log.lastSeq() }, 'gateway listening');
    },
    async stop() {
      // No new connections or messages; requests already inside finish their appends.
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      io.close();
      server.closeIdleConnections();
      await log.close();
      server.closeAllConnections();
      await closed;
      logger.info('gateway stopped');
    },
  };
}
