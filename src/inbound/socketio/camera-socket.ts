// Socket.IO events from cameras (default namespace) → ingest. Every reply goes both ways:
// through the ack callback when the client gave one, and as the named reply event;
// failures also as `error` (README.md, "What a camera sees"). Registration is never
// required before data: python-socketio cameras do not re-register after reconnects.
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { type GatewayError, gatewayError, toGatewayError, errorBody } from '../../errors.js';
import type { Ingest } from '../../ingest/ingest.js';
import type { MessageKind } from '../../ingest/parse-message.js';
import { NETWORK_FORBIDDEN, type AddressCheck } from '../network-allowlist.js';
import type { CameraAccess } from '../../auth/camera-access.js';
import type { ClientRateLimit } from '../client-rate-limit.js';
import { credentialFrom } from '../../auth/credentials.js';
import { successBody } from '../reply-bodies.js';
import { KINDS, type KindSpec } from '../../kinds/index.js';
import type { RecordKind } from '../../log/record.js';
import { approxJsonBytes } from '../../ingest/approx-json-bytes.js';
import { ArrivalOrder } from '../../ingest/arrival-order.js';
import { batchFrames } from './batch-frames.js';

export interface CameraSocketDeps {
  ingest: Ingest;
  logger: Logger;
  cameraAllowed: AddressCheck;
  maxMessageBytes: number;
  rateLimit: ClientRateLimit;
  access: CameraAccess;
}

const credentialOf = (socket: Socket): string | undefined => credentialFrom(socket.handshake.headers, socket.handshake.auth);

function refuse(next: (err?: Error) => void, error: GatewayError): void {
  const err = new Error(error.message) as Error & { data: unknown };
  err.data = errorBody(error);
  next(err);
}

type Ack = (body: unknown) => void;

/** event → (kind of record, reply event), from every kind's spec. */
const EVENTS: Record<string, { kind: MessageKind; reply: string }> = Object.fromEntries(
  (Object.entries(KINDS) as [RecordKind, KindSpec][]).flatMap(([kind, spec]) => (spec.socket ? [[spec.socket.event, { kind, reply: spec.socket.reply }]] : [])),
);

function splitArgs(args: unknown[]): { payload: unknown; ack: Ack | undefined } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as Ack) : undefined;
  return { payload: args[0] === ack ? undefined : args[0], ack };
}

export function attachCameraSocket(io: Server, deps: CameraSocketDeps): void {
  const cameras = io.of('/');

  cameras.use((socket, next) => {
    const address = socket.handshake.address;
    if (!deps.cameraAllowed(address)) {
      const forbidden = NETWORK_FORBIDDEN;
      deps.ingest.refused(forbidden, { source: 'socketio', remote: address });
      return refuse(next, forbidden);
    }
    const credential = credentialOf(socket);
    if (credential !== undefined && !deps.access.isKnownCredential(credential)) {
      const unauthorized = gatewayError('CAMERA_TOKEN_UNKNOWN');
      deps.ingest.refused(unauthorized, { source: 'socketio', remote: address });
      return refuse(next, unauthorized);
    }
    next();
  });

  cameras.on('connection', (socket: Socket) => {
    const remote = socket.handshake.address;
    deps.logger.debug({ remote, id: socket.id, transport: socket.conn.transport.name }, 'camera socket connected');
    socket.on('disconnect', (reason) => deps.logger.debug({ remote, id: socket.id, reason }, 'camera socket disconnected'));
    batchFrames(socket);
    // python-socketio cameras fire lpr_data without waiting: log them in arrival order.
    const order = new ArrivalOrder();

    for (const [event, { kind, reply }] of Object.entries(EVENTS)) {
      socket.on(event, async (...args: unknown[]) => {
        const { payload, ack } = splitArgs(args);
        const ctx = { source: 'socketio' as const, impliedKind: kind, remote, credential: credentialOf(socket), order };
        try {
          try {
            deps.rateLimit.take(remote);
          } catch (err) {
            deps.ingest.refused(toGatewayError(err), ctx);
            throw err;
          }
          const size = approxJsonBytes(payload);
          if (size > deps.maxMessageBytes) {
            const tooLarge = gatewayError('MESSAGE_TOO_LARGE', deps.maxMessageBytes);
            deps.ingest.refused(tooLarge, ctx);
            throw tooLarge;
          }
          const result = await deps.ingest.accept(payload, ctx);
          if (result.kind === 'register') socket.data.camera_id = result.camera_id;
          const body = successBody(result);
          ack?.(body);
          socket.emit(reply, body);
        } catch (err) {
          const error = toGatewayError(err);
          const body = errorBody(error);
          ack?.(body);
          socket.emit(reply, body);
          socket.emit('error', body);
        }
      });
    }

    socket.on('ping', (...args: unknown[]) => {
      const { ack } = splitArgs(args);
      const body = { success: true, message: 'pong', timestamp: new Date().toISOString() };
      ack?.(body);
      socket.emit('pong', body);
    });
  });
}
