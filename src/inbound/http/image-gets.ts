// Image blobs served straight from Node's HTTP server, ahead of express, as camera POSTs are
// (camera-posts.ts). The Events view asks for a thumbnail per row, 100 at a time; through
// express's router and fs/promises each cost about 0.6 ms of the box's CPU, enough to push
// the cameras' ack p99 up by a third while a person scrolled (bench:viewer). Only
// `GET /api/images/<sha256>` is taken here; express's route answers every other spelling.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gatewayError } from '../../errors.js';
import type { BlobStore } from '../../log/blob-store.js';
import { sendError } from './send-error.js';
import type { ViewerCheck } from '../../auth/viewer-check.js';
import { askForLogin } from './viewer-login.js';

const IMAGE_PATH = /^\/api\/images\/([0-9a-f]{64})$/;

export interface ImageGetDeps {
  blobs: BlobStore;
  viewer: ViewerCheck;
}

/** Returns a request handler that answers image GETs and returns false for the rest. */
export function imageGets(deps: ImageGetDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const m = IMAGE_PATH.exec(req.url ?? '');
    if (!m) return false;
    const sha256 = m[1]!;
    deps.viewer(req.headers.authorization).then((ok) => {
      if (!ok) return askForLogin(res);
      return deps.blobs.read(sha256).then((data) => {
        if (!data) return sendError(res, gatewayError('NO_IMAGE'));
        res.writeHead(200, {
          'Content-Type': data[0] === 0xff && data[1] === 0xd8 ? 'image/jpeg' : 'application/octet-stream',
          'Content-Length': data.length,
          'Cache-Control': 'public, max-age=31536000, immutable',
        });
        res.end(data);
      });
    }, () => askForLogin(res));
    return true;
  };
}
