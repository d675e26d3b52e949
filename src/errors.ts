// One error type for the whole gateway. Each transport maps a GatewayError to its wire
// format in exactly one place (HTTP: send-error.ts, Socket.IO: reply.ts).

/** Stable error codes and the HTTP status each maps to. Codes never change meaning. */
export const ERROR_CATALOGUE = {
  INVALID_JSON: 400,
  INVALID_BODY: 400,
  VALIDATION_FAILED: 400,
  INVALID_ID: 400,
  INVALID_TIMESTAMP: 400,
  INVALID_IMAGE: 400,
  UNKNOWN_TYPE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  UPLINK_UNAVAILABLE: 503,
  STORE_FULL: 507,
} as const;

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
    this.status = ERROR_CATALOGUE[code];
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
