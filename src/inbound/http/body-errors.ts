// The errors a camera's request body can get, worded once for both readers of it: express's
// body parser (create-http-app.ts) and the camera POSTs served ahead of express (camera-posts.ts).
import { GatewayError } from '../../errors.js';

export const bodyTooLarge = (limit: number) => new GatewayError('PAYLOAD_TOO_LARGE', `request body is larger than the limit of ${limit} bytes`);

export const bodyNotJson = (detail: string) => new GatewayError('INVALID_JSON', `request body is not valid JSON: ${detail}`.trim());

export const bodyIncomplete = (detail = 'request body was incomplete') => new GatewayError('INVALID_BODY', detail);
