// Endpoints for operators and supervisors: the status page (/), /healthz (the process
// answers), /readyz (log open and broker listening; uplink state reported, not required),
// /metrics (Prometheus), and the Socket.IO client the status page runs.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { STATUS_PAGE_HTML } from '../../observability/status-page-html.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, unknown>;
}

export interface OpsRouteDeps {
  registry: Registry;
  readiness: () => Readiness;
  /** The viewer login, in front of what shows data to people: the status page and metrics. */
  viewer: RequestHandler;
}

/** The browser client shipped inside the socket.io package, the same version as the server.
 *  Served here rather than by socket.io itself, which finds it beside its own source file —
 *  a path the bundle in dist/ does not have. */
const SOCKET_IO_CLIENT = join(dirname(createRequire(import.meta.url).resolve('socket.io/package.json')), 'client-dist', 'socket.io.min.js');

export function createOpsRoutes(deps: OpsRouteDeps): Router {
  const router = Router();
  router.get('/assets/socket.io.min.js', (_req, res) => res.sendFile(SOCKET_IO_CLIENT));
  router.get('/', deps.viewer, (_req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self'; style-src 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'");
    res.type('html').send(STATUS_PAGE_HTML);
  });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptime_s: Math.round(process.uptime()) });
  });
  router.get('/readyz', (_req, res) => {
    const r = deps.readiness();
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not ready', ...r.checks });
  });
  router.get('/metrics', deps.viewer, async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  return router;
}
