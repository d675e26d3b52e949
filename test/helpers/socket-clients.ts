// Socket.IO camera clients for tests: socket.io-client v4 (Engine.IO 4) and v2 (Engine.IO 3).
import { createRequire } from 'node:module';
import { io as ioV4, type Socket } from 'socket.io-client';

const require = createRequire(import.meta.url);

export interface CameraClient {
  emit(event: string, payload: unknown, ack?: (body: any) => void): void;
  next(event: string, timeoutMs?: number): Promise<any>;
  close(): void;
}

export type ClientFlavour = 'v4-websocket' | 'v4-polling' | 'v2-polling' | 'v2-websocket';

/** Connects like a camera would; resolves once connected. */
export async function connectCamera(url: string, flavour: ClientFlavour, timeoutMs = 5000): Promise<CameraClient> {
  const transports = flavour.endsWith('websocket') ? ['websocket'] : ['polling'];
  const socket: Socket = flavour.startsWith('v4')
    ? ioV4(url, { transports, reconnection: false, forceNew: true })
    : require('socket.io-client-v2')(url, { transports, reconnection: false, forceNew: true });
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${flavour}: no connect in ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      ok();
    });
    socket.once('connect_error', (err: Error) => {
      clearTimeout(timer);
      fail(err);
    });
    socket.once('error', (err: unknown) => {
      clearTimeout(timer);
      fail(err instanceof Error ? err : new Error(String(err)));
    });
  });
  return {
    emit: (event, payload, ack) => (ack ? socket.emit(event, payload, ack) : socket.emit(event, payload)),
    next: (event, ms = 10_000) =>
      new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ${event} in ${ms} ms`)), ms);
        socket.once(event, (body: unknown) => {
          clearTimeout(timer);
          ok(body);
        });
      }),
    close: () => socket.close(),
  };
}
