// Starts a server listening and resolves once it is bound. A failure (port in use, no
// permission for a low port) is a ListenError naming the setting that chose the port, so
// start-up can tell the operator what to change.
import type { Server } from 'node:net';

export class ListenError extends Error {
  constructor(
    readonly setting: string,
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(`${setting}: cannot listen on ${host}:${port} (${code ?? (cause as Error).message})`, { cause });
    this.name = 'ListenError';
  }
}

export function listenOn(server: Server, port: number, host: string, setting: string): Promise<void> {
  return new Promise((ok, fail) => {
    const onError = (err: NodeJS.ErrnoException) => fail(new ListenError(setting, host, port, err.code, err));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      ok();
    });
  });
}
