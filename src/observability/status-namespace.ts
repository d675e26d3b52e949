// The status page's live feed: Socket.IO namespace /status (separate from the cameras'
// default namespace, read-only: it ignores anything clients emit). A snapshot on connect,
// then every `intervalMs` while anyone is watching.
import type { Server } from 'socket.io';
import type { AlertSummary } from '../hotlist/alert-watch.js';
import type { LiveView } from './live-view.js';

/** Alerts go to every viewer the moment they are raised, counted or acknowledged. */
export interface AlertFeed {
  onAlert(listener: (a: AlertSummary, isNew: boolean) => void): () => void;
}

export function attachStatusNamespace(io: Server, view: LiveView, authorize: (authorization: string | undefined) => Promise<boolean>, alerts?: AlertFeed, intervalMs = 2000): () => void {
  const ns = io.of('/status');
  ns.use((socket, next) => {
    authorize(socket.handshake.headers.authorization).then((ok) => (ok ? next() : next(new Error('login required'))), next);
  });
  ns.on('connection', (socket) => {
    socket.emit('snapshot', view.snapshot());
  });
  const timer = setInterval(() => {
    if (ns.sockets.size > 0) ns.emit('snapshot', view.snapshot());
  }, intervalMs);
  timer.unref();
  const unsubscribe = alerts?.onAlert((a) => ns.emit('alert', a));
  return () => {
    clearInterval(timer);
    unsubscribe?.();
  };
}
