// Starts a server listening and resolves once it is bound (rejects on EADDRINUSE etc.).
import type { Server } from 'node:net';

export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
}
