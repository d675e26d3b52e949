// Camera POSTs served straight from Node's HTTP server, ahead of express. Deployed cameras
// send every record this way, and express 5's router and body parser cost about twice
// what the whole durable ingest does (bench: bare express 4.5k req/s, plain node:http 14k).
// Only the plain case is taken here — an exact camera path, identity encoding, UTF-8 or
// no charset; everything else (gzip bodies, other charsets, odd spellings of a path) goes
// to express, whose camera routes answer the same way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { type GatewayError, gatewayError, toGatewayError } from '../../errors.js';
import type { AcceptContext, Ingest } from '../../ingest/ingest.js';
import { ImageLifter, LiftedBody } from '../../ingest/lift-images.js';
import type { MessageKind } from '../../ingest/parse-message.js';
import { KINDS, type KindSpec } from '../../kinds/index.js';
import type { RecordKind } from '../../log/record.js';
import type { ClientRateLimit } from '../client-rate-limit.js';
import { credentialFrom } from '../../auth/credentials.js';
import { NETWORK_FORBIDDEN, type AddressCheck } from '../network-allowlist.js';
import { successBody } from '../reply-bodies.js';
import { sendJson, sendError } from './send-error.js';

export interface CameraPostDeps {
  ingest: Ingest;
  cameraAllowed: AddressCheck;
  rateLimit: ClientRateLimit;
  maxMessageBytes: number;
}

/** path → the kind it implies (undefined: told by the body's `type`). */
export const CAMERA_POST_PATHS = new Map<string, MessageKind | undefined>([
  ...(Object.entries(KINDS) as [RecordKind, KindSpec][]).flatMap(([kind, spec]) => (spec.restPath ? [[spec.restPath, kind] as const] : [])),
  // The deployed cameras' one endpoint for everything, told apart by `type`.
  ['/api/statistics', undefined],
  ['/api/data', undefined],
]);

/** Content types read as JSON here: none, or JSON in UTF-8 (cameras do not always send one). */
const PLAIN_JSON = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

/** Returns a request handler that answers plain camera POSTs and returns false for the rest. */
export function cameraPosts(deps: CameraPostDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (!CAMERA_POST_PATHS.has(path)) return false;
    const type = req.headers['content-type'];
    const encoding = req.headers['content-encoding'];
    if ((type !== undefined && !PLAIN_JSON.test(type)) || (encoding !== undefined && encoding.toLowerCase() !== 'identity')) return false;
    void answer(deps, req, res, CAMERA_POST_PATHS.get(path));
    return true;
  };
}

async function answer(deps: CameraPostDeps, req: IncomingMessage, res: ServerResponse, impliedKind: MessageKind | undefined): Promise<void> {
  const ctx = cameraContext(req, impliedKind);
  if (!admitted(deps, ctx)) return refuse(req, res, NETWORK_FORBIDDEN, deps.maxMessageBytes);
  let body: unknown;
  try {
    body = await readJson(req, deps.maxMessageBytes);
  } catch (err) {
    const error = toGatewayError(err);
    deps.ingest.refused(error, ctx);
    return refuse(req, res, error, deps.maxMessageBytes);
  }
  await ingestPost(deps, body, ctx, res);
}

export function cameraContext(req: IncomingMessage, impliedKind: MessageKind | undefined): AcceptContext {
  return { source: 'rest', impliedKind, remote: req.socket.remoteAddress, credential: credentialFrom(req.headers) };
}

/** camera.networks: false (and counted as refused) for an address that may not send. */
export function admitted(deps: Pick<CameraPostDeps, 'cameraAllowed' | 'ingest'>, ctx: AcceptContext): boolean {
  if (deps.cameraAllowed(ctx.remote)) return true;
  deps.ingest.refused(NETWORK_FORBIDDEN, ctx);
  return false;
}

export function refuseForbidden(res: ServerResponse): void {
  sendError(res, NETWORK_FORBIDDEN);
}

/** One camera record posted: rate limit, ingest, the contract's answer. */
export async function ingestPost(deps: Pick<CameraPostDeps, 'ingest' | 'rateLimit'>, body: unknown, ctx: AcceptContext, res: ServerResponse): Promise<void> {
  try {
    try {
      deps.rateLimit.take(ctx.remote);
    } catch (err) {
      deps.ingest.refused(toGatewayError(err), ctx);
      throw err;
    }
    sendJson(res, 200, successBody(await deps.ingest.accept(body, ctx)));
  } catch (err) {
    sendError(res, toGatewayError(err));
  }
}

/** How much of a refused body is read and dropped before answering anyway (× the limit). */
const DISCARD_FACTOR = 4;

/**
 * Reads and drops whatever of the body is still coming, then answers, as express's
 * finalhandler does. A client that writes its whole body before reading (Python's urllib)
 * gets a broken pipe instead of the answer if the server answers and closes first; one that
 * sent Expect: 100-continue has been told to go on and is still sending. Past
 * DISCARD_FACTOR × the limit the answer goes at once and the connection is closed; the
 * server's requestTimeout bounds a body that never ends.
 */
function refuse(req: IncomingMessage, res: ServerResponse, error: GatewayError, limit: number): void {
  if (req.complete) return sendError(res, error);
  let dropped = 0;
  const answer = (): void => {
    req.off('data', onData);
    req.off('end', answer);
    if (!res.headersSent) sendError(res, error);
  };
  const onData = (chunk: Buffer): void => {
    dropped += chunk.length;
    if (dropped <= limit * DISCARD_FACTOR) return;
    res.setHeader('Connection', 'close');
    answer();
  };
  req.on('data', onData);
  req.on('end', answer);
  req.resume();
}

/** Bodies at least this big (Content-Length) have their images taken out as they arrive. */
const LIFT_FROM_BYTES = 64 * 1024;

/**
 * The body as JSON, as express.json({ strict: false }) reads it (an empty body is {}).
 * Each chunk is decoded as it arrives and let go, as body-parser does, rather than all
 * chunks held until the end. A big body goes through the image lifter instead
 * (lift-images.ts): its base64 images are decoded on the way and never become strings,
 * and the body is never held whole.
 */
function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return Promise.reject(gatewayError('BODY_TOO_LARGE', limit));
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const lifter = declared >= LIFT_FROM_BYTES ? new ImageLifter(declared) : undefined;
    let text = '';
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) {
        cleanup();
        reject(gatewayError('BODY_TOO_LARGE', limit));
        return;
      }
      // A body longer than declared is refused at its end; the lifter sees no more of it.
      if (lifter) {
        if (bytes <= declared) lifter.push(chunk);
      } else text += decoder.write(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (!Number.isNaN(declared) && bytes !== declared) {
        reject(gatewayError('BODY_INCOMPLETE', ''));
        return;
      }
      if (lifter) {
        const lifted = lifter.end();
        if (lifted.images.size > 0) {
          try {
            resolve(new LiftedBody(JSON.parse(lifted.text), lifted.images));
            return;
          } catch {
            // Not JSON: parsed whole below, for the same error as any other body.
          }
        }
        text = lifted.images.size > 0 ? lifter.whole() : lifted.text;
      } else {
        text += decoder.end();
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (text.length === 0) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(gatewayError('BODY_NOT_JSON', (err as Error).message));
      }
    };
    const onAborted = () => {
      cleanup();
      reject(gatewayError('BODY_INCOMPLETE', ''));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
  });
}
