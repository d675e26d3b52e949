// One error type for the whole gateway. Each transport maps a GatewayError to its wire
// format in exactly one place (HTTP: inbound/http/send-error.ts; Socket.IO:
// inbound/socketio/camera-socket.ts answers with errorBody() as ack, reply and `error`).

/**
 * Stable error codes: the HTTP status each maps to and what it means to a client (the
 * README's error table says the same; a test keeps the two equal). Codes never change
 * meaning; the message of each error says what exactly was wrong.
 */
export const ERROR_CATALOGUE = {
  INVALID_JSON: { status: 400, meaning: 'the body is not valid JSON' },
  INVALID_BODY: { status: 400, meaning: 'the body is not a JSON object of the expected shape (or nests too deep)' },
  VALIDATION_FAILED: { status: 400, meaning: 'a field is missing or of the wrong type (error.fields names each)' },
  INVALID_ID: { status: 400, meaning: 'camera_id or checkpoint_id is missing, or not usable as a topic level' },
  INVALID_TIMESTAMP: { status: 400, meaning: 'timestamp is not a date and time' },
  INVALID_IMAGE: { status: 400, meaning: 'an image field is not base64 (or too many images)' },
  UNKNOWN_TYPE: { status: 400, meaning: 'type is missing or not a known record type' },
  UNAUTHORIZED: { status: 401, meaning: 'a login or token is required (viewer login, admin token, camera token)' },
  FORBIDDEN: { status: 403, meaning: 'this address may not send camera data (camera.networks), or the camera is not allowed' },
  NOT_FOUND: { status: 404, meaning: 'no such record, image, hotlist entry or parked record' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'the message is over http.maxMessageBytes (16 MiB by default)' },
  RATE_LIMITED: { status: 429, meaning: 'this client sends faster than http.rateLimit; wait Retry-After seconds' },
  INTERNAL: { status: 500, meaning: 'a fault of the gateway itself (logged with its cause)' },
  STORE_UNAVAILABLE: { status: 503, meaning: 'the store is not open or is being reopened after a fault; resend after Retry-After' },
  UPLINK_UNAVAILABLE: { status: 503, meaning: 'no upstream to send to (replay of a parked record), or it failed' },
  STORE_FULL: { status: 507, meaning: 'the disk is at its floor or the store at its quota; resend after Retry-After' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface FieldProblem {
  path: string;
  message: string;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldProblem[] | undefined;
  /** Seconds a client should wait before retrying (507/503/429). */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fields?: FieldProblem[]; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.fields = opts.fields;
    this.retryAfter = opts.retryAfter;
  }
}

/** Anything thrown becomes a GatewayError; unknown failures are INTERNAL and keep their cause. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError('INTERNAL', 'Internal error', { cause: err });
}

/** The contract's failure body: { success: false, message, error: { code, ... } }. */
export function errorBody(err: GatewayError): Record<string, unknown> {
  const error: Record<string, unknown> = { code: err.code };
  if (err.fields) error.fields = err.fields;
  if (err.retryAfter !== undefined) error.retry_after = err.retryAfter;
  return { success: false, message: err.message, error };
}
