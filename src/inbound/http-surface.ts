// Everything the gateway answers on its HTTP port (and HTTPS when set): camera POSTs and
// image GETs on fast paths ahead of express, the express routes, and Socket.IO (cameras on
// the default namespace, the status page's live feed on /status). Built from the parts it
// serves; it owns no state of its own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { tlsEnabled, type GatewayConfig } from '../config/schema.js';
import type { AlertWatch } from '../hotlist/alert-watch.js';
import type { Hotlist } from '../hotlist/hotlist.js';
import type { CameraAccess } from '../auth/camera-access.js';
import type { Ingest } from '../ingest/ingest.js';
import type { BlobStore } from '../log/blob-store.js';
import type { RecordLog } from '../log/record-log.js';
import type { Readiness } from './http/ops-routes.js';
import type { LiveView } from '../observability/live-view.js';
import { attachStatusNamespace } from '../observability/status-namespace.js';
import type { PlateIndex } from '../search/plate-index.js';
import { createClientRateLimit } from './client-rate-limit.js';
import { createAdminRoutes } from './http/admin-routes.js';
import { cameraPosts } from './http/camera-posts.js';
import { createCameraRoutes } from './http/camera-routes.js';
import { createHttpApp } from './http/create-http-app.js';
import { createHotlistRoutes } from './http/hotlist-routes.js';
import { imageGets } from './http/image-gets.js';
import { createInfoRoutes } from './http/info-routes.js';
import { createOpsRoutes } from './http/ops-routes.js';
import { createRecordRoutes } from './http/record-routes.js';
import { createSearchRoutes } from './http/search-routes.js';
import { requireViewer } from './http/viewer-login.js';
import { createViewerCheck } from '../auth/viewer-check.js';
import { createListeners } from './listeners.js';
import { createNetworkAllowlist } from './network-allowlist.js';
import { attachCameraSocket } from './socketio/camera-socket.js';

export interface HttpSurfaceDeps {
  logger: Logger;
  ingest: Ingest;
  access: CameraAccess;
  log: RecordLog;
  blobs: BlobStore;
  registry: Registry;
  readiness: () => Readiness;
  /** Sections /api/statistics adds to the log's own (from memory). */
  statistics: () => Record<string, unknown>;
  plateIndex: PlateIndex;
  alerts: AlertWatch;
  hotlist: Hotlist;
  liveView: LiveView;
  /** Signs a checkpoint of the head before an export. */
  checkpoint: () => Promise<unknown>;
  /** The parked list, and a parked record sent again (undefined with no upstream). */
  parked: () => readonly { seq: number }[];
  replay: ((seq: number) => Promise<void>) | undefined;
}

export function createHttpSurface(config: GatewayConfig, d: HttpSurfaceDeps) {
  const viewerLogin = config.admin.viewerUser ? { user: config.admin.viewerUser, passwordHash: config.admin.viewerPasswordHash } : undefined;
  const viewerCheck = createViewerCheck(viewerLogin);
  const viewer = requireViewer(viewerCheck);
  const cameraAllowed = createNetworkAllowlist(config.camera.networks);
  const rateLimit = createClientRateLimit(config.http.rateLimit, config.http.rateBurst);
  const maxMessageBytes = config.http.maxMessageBytes;
  const app = createHttpApp({
    maxMessageBytes, logger: d.logger,
    refused: (error, remote) => d.ingest.refused(error, { source: 'rest', remote }),
    routers: [
      createOpsRoutes({ registry: d.registry, readiness: d.readiness, viewer }),
      createInfoRoutes({ log: d.log, extraStatistics: d.statistics }),
      createCameraRoutes({ ingest: d.ingest, cameraAllowed, rateLimit }),
      createRecordRoutes({ log: d.log, blobs: d.blobs, viewer }),
      createSearchRoutes({ log: d.log, index: d.plateIndex, alerts: d.alerts, viewer, timeZone: config.camera.timezone }),
      createHotlistRoutes({ hotlist: d.hotlist, index: d.plateIndex, token: config.admin.token, maxImportBytes: config.hotlist.maxImportBytes }),
      createAdminRoutes({ log: d.log, parked: d.parked, token: config.admin.token, checkpoint: d.checkpoint, replay: d.replay }),
    ],
  });
  const posts = cameraPosts({ ingest: d.ingest, cameraAllowed, rateLimit, maxMessageBytes });
  const images = imageGets({ blobs: d.blobs, viewer: viewerCheck });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!posts(req, res) && !images(req, res)) app(req, res);
  };
  const listeners = createListeners({
    host: config.http.host, port: config.http.port, tls: tlsEnabled(config.http.tls) ? config.http.tls : undefined,
    requestTimeout: config.http.requestTimeout, maxConnections: config.http.maxConnections, pingTimeout: config.http.pingTimeout, maxMessageBytes,
  }, handle, d.logger);
  attachCameraSocket(listeners.io, { ingest: d.ingest, logger: d.logger, cameraAllowed, rateLimit, access: d.access, maxMessageBytes });
  const stopStatusFeed = attachStatusNamespace(listeners.io, d.liveView, viewerCheck, d.alerts);
  return { listeners, stopStatusFeed };
}
