// One error type for the whole gateway, and every error it answers with in one table
// (ERRORS below: code, message template and field list in one entry, as fastify's
// lib/errors.js keeps them). Each transport maps a GatewayError to its wire format in
// exactly one place (HTTP: inbound/http/send-error.ts; Socket.IO:
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
  return gatewayError('INTERNAL', { cause: err });
}

/** The contract's failure body: { success: false, message, error: { code, ... } }. */
export function errorBody(err: GatewayError): Record<string, unknown> {
  const error: Record<string, unknown> = { code: err.code };
  if (err.fields) error.fields = err.fields;
  if (err.retryAfter !== undefined) error.retry_after = err.retryAfter;
  return { success: false, message: err.message, error };
}

const field = (path: string, message: string): FieldProblem[] => [{ path, message }];

/**
 * Every error the gateway answers with, by name: its code (ERROR_CATALOGUE), its message —
 * a text, or a template of the values it names — and the fields it points at, if any. A
 * client sees exactly this; code elsewhere only picks an entry and gives its values
 * (gatewayError). Templates take no default parameters (their arity tells gatewayError
 * where a trailing ErrorOptions starts). A test checks that every code has an entry.
 */
export const ERRORS = {
  // A message as it arrives (REST body or Socket.IO payload).
  BODY_NOT_JSON: { code: 'INVALID_JSON', message: (detail: string) => `request body is not valid JSON: ${detail}`.trim() },
  MESSAGE_NOT_JSON: { code: 'INVALID_JSON', message: 'message is not valid JSON' },
  BODY_INCOMPLETE: { code: 'INVALID_BODY', message: (detail: string) => detail || 'request body was incomplete' },
  BODY_ENCODING: { code: 'INVALID_BODY', message: (detail: string) => detail || 'unsupported body encoding' },
  MESSAGE_NOT_OBJECT: { code: 'INVALID_BODY', message: 'message must be a JSON object' },
  MESSAGE_TOO_DEEP: { code: 'INVALID_BODY', message: (depth: number) => `message is nested more than ${depth} levels deep` },
  BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: (limit: number) => `request body is larger than the limit of ${limit} bytes` },
  MESSAGE_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: (limit: number) => `message is larger than the limit of ${limit} bytes` },
  // Its fields.
  TYPE_MISSING: { code: 'UNKNOWN_TYPE', message: 'type is required (detection_result or health_check)', fields: () => field('type', 'required') },
  TYPE_UNKNOWN: {
    code: 'UNKNOWN_TYPE', message: (type: unknown) => `unknown type ${JSON.stringify(type).slice(0, 80)}`,
    fields: () => field('type', 'expected detection_result, health_check or test'),
  },
  ID_INVALID: { code: 'INVALID_ID', message: (path: string, problem: string) => `${path} ${problem}`, fields: (path: string, problem: string) => field(path, problem) },
  TIMESTAMP_MISSING: { code: 'VALIDATION_FAILED', message: 'timestamp is required', fields: () => field('timestamp', 'required') },
  TIMESTAMP_INVALID: {
    code: 'INVALID_TIMESTAMP', message: (raw: unknown) => `timestamp ${JSON.stringify(raw).slice(0, 60)} is not a valid date and time`,
    fields: () => field('timestamp', 'expected ISO 8601 (e.g. 2024-12-19T10:00:00Z)'),
  },
  /** A field against its schema (the first problem named; ErrorOptions.fields lists all). */
  FIELD_INVALID: { code: 'VALIDATION_FAILED', message: (path: string, problem: string) => `${path}: ${problem}`, fields: (path: string, problem: string) => field(path, problem) },
  TOO_MANY_IMAGES: {
    code: 'VALIDATION_FAILED', message: (max: number, got: number) => `a record may carry at most ${max} images (got ${got})`,
    fields: () => field('cropped_plates', 'too many images'),
  },
  IMAGE_NOT_BASE64: { code: 'INVALID_IMAGE', message: (path: string) => `${path} is not valid base64`, fields: (path: string) => field(path, 'not valid base64') },
  IMAGE_NOT_STRING: { code: 'INVALID_IMAGE', message: (path: string) => `${path} must be a base64 string`, fields: (path: string) => field(path, 'expected a base64 string') },
  IMAGES_NOT_LIST: {
    code: 'INVALID_IMAGE', message: (path: string) => `${path} must be a list of base64 images`, fields: (path: string) => field(path, 'expected a list of base64 strings'),
  },
  // Who may send or read.
  NETWORK_FORBIDDEN: { code: 'FORBIDDEN', message: 'this address may not send camera data (camera.networks)' },
  RATE_LIMITED: { code: 'RATE_LIMITED', message: (client: string) => `too many messages from ${client}; slow down` },
  CAMERA_TOKEN_MISSING: { code: 'UNAUTHORIZED', message: (camera: string) => `camera ${camera} must send its token` },
  CAMERA_TOKEN_WRONG: { code: 'FORBIDDEN', message: (camera: string) => `wrong token for camera ${camera}` },
  CAMERA_TOKEN_UNKNOWN: { code: 'UNAUTHORIZED', message: 'unknown camera token' },
  CAMERA_UNKNOWN: { code: 'FORBIDDEN', message: (camera: string) => `camera ${camera} is not a known camera` },
  LOGIN_REQUIRED: { code: 'UNAUTHORIZED', message: 'login required' },
  ADMIN_OFF: { code: 'NOT_FOUND', message: 'admin endpoints are off (no admin token configured)' },
  ADMIN_TOKEN_MISSING: { code: 'UNAUTHORIZED', message: 'admin token required (Authorization: Bearer ...)' },
  ADMIN_TOKEN_WRONG: { code: 'FORBIDDEN', message: 'wrong admin token' },
  // The store.
  DISK_FULL: { code: 'STORE_FULL', message: "the gateway's disk is full; resend later", retryAfter: 30 },
  DISK_FLOOR: {
    code: 'STORE_FULL', message: (free: number, floor: number) => `the gateway's disk is full (${free} bytes free, floor ${floor}); resend later`, retryAfter: 60,
  },
  STORE_QUOTA: {
    code: 'STORE_FULL', message: (quota: number) => `the gateway's store is full (quota ${quota} bytes, nothing delivered left to evict); resend later`, retryAfter: 30,
  },
  STORE_REOPENING: {
    code: 'STORE_UNAVAILABLE', message: (reason: string) => `the gateway's store is unavailable and being reopened (${reason}); resend later`, retryAfter: 5,
  },
  STORE_NOT_OPEN: { code: 'STORE_UNAVAILABLE', message: 'the store is not open', retryAfter: 5 },
  STORE_WRITE_FAILED: { code: 'STORE_UNAVAILABLE', message: 'writing to the store failed; resend later', retryAfter: 5 },
  STORE_READ_FAILED: { code: 'STORE_UNAVAILABLE', message: 'reading the store failed', retryAfter: 5 },
  // Reading back, searching, the hotlist, the admin API.
  NO_ROUTE: { code: 'NOT_FOUND', message: (method: string, path: string) => `no route for ${method} ${path}` },
  NO_RECORD: { code: 'NOT_FOUND', message: 'no such record' },
  NO_IMAGE: { code: 'NOT_FOUND', message: 'no such image' },
  NO_ALERT: { code: 'NOT_FOUND', message: 'no such alert on the board' },
  NO_HOTLIST_ENTRY: { code: 'NOT_FOUND', message: 'no such hotlist entry' },
  NOT_PARKED: { code: 'NOT_FOUND', message: (seq: number) => `record ${seq} is not parked` },
  NOT_A_NUMBER: {
    code: 'VALIDATION_FAILED', message: (name: string, max: number) => `${name} must be a whole number from 0 to ${max}`,
    fields: (name: string) => field(name, 'expected a whole number'),
  },
  NOT_A_SEQ: { code: 'VALIDATION_FAILED', message: 'seq must be a positive whole number' },
  NOT_A_TIME: { code: 'VALIDATION_FAILED', message: (name: string) => `${name} must be an ISO 8601 time` },
  KIND_UNKNOWN: { code: 'VALIDATION_FAILED', message: (kinds: readonly string[]) => `kind must be one of ${kinds.join(', ')}` },
  NOT_A_PLATE: {
    code: 'VALIDATION_FAILED', message: (plate: string) => `plate "${plate}" is not a plate: 2 to 32 letters and digits once spaces, dashes and dots are removed`,
    fields: () => field('plate', 'expected letters and digits'),
  },
  HOTLIST_ENTRY_SHAPE: { code: 'INVALID_BODY', message: 'expected a JSON object with reason, level, expires_at, fuzzy, note' },
  HOTLIST_IMPORT_SHAPE: {
    code: 'INVALID_BODY', message: 'expected text/csv with a header row (plate,reason,level,expires_at,fuzzy,note) or a JSON list of entries',
  },
  HOTLIST_IMPORT_CSV: { code: 'INVALID_BODY', message: (detail: string) => `CSV: ${detail}` },
  HOTLIST_IMPORT_EMPTY: { code: 'INVALID_BODY', message: 'no entries in the import' },
  /** All or nothing: ErrorOptions.fields lists the bad rows. */
  HOTLIST_IMPORT_INVALID: {
    code: 'VALIDATION_FAILED',
    message: (bad: number, total: number, first: FieldProblem) => `${bad} of ${total} entries are invalid; nothing imported. First: ${first.path}: ${first.message}`,
  },
  NO_UPSTREAM: { code: 'UPLINK_UNAVAILABLE', message: 'no upstream (uplink or forward) to replay to' },
  REPLAY_FAILED: { code: 'UPLINK_UNAVAILABLE', message: (detail: string) => `replay failed: ${detail}`, retryAfter: 30 },
  /** A fault of the gateway itself; the cause goes to the log, never to the client. */
  INTERNAL: { code: 'INTERNAL', message: 'Internal error' },
} as const satisfies Record<string, ErrorSpec>;

// Each template's parameters are typed in the table; `any` here only lets each keep its own.
type Template = string | ((...values: any[]) => string);

interface ErrorSpec {
  code: ErrorCode;
  message: Template;
  /** The fields the error points at, from the same values as the message. */
  fields?: (...values: any[]) => FieldProblem[];
  /** Seconds a client should wait before sending again. */
  retryAfter?: number;
}

export type ErrorName = keyof typeof ERRORS;

/** The values an entry's message names. */
type ValuesOf<N extends ErrorName> = (typeof ERRORS)[N]['message'] extends (...values: infer V) => string ? V : [];

/** What a raising site may add: the cause (for the log), a computed wait, or the whole list of fields. */
export interface ErrorOptions {
  cause?: unknown;
  retryAfter?: number;
  fields?: FieldProblem[];
}

/** The error ERRORS[name] describes, with its values: gatewayError('NOT_PARKED', seq). */
export function gatewayError<N extends ErrorName>(name: N, ...rest: [...ValuesOf<N>, ErrorOptions?]): GatewayError {
  const spec: ErrorSpec = ERRORS[name];
  const arity = typeof spec.message === 'string' ? 0 : spec.message.length;
  const values = rest.slice(0, arity);
  const opts = (rest.length > arity ? rest[arity] : undefined) as ErrorOptions | undefined;
  const message = typeof spec.message === 'string' ? spec.message : spec.message(...values);
  const fields = opts?.fields ?? spec.fields?.(...values);
  const retryAfter = opts?.retryAfter ?? spec.retryAfter;
  return new GatewayError(spec.code, message, {
    ...(fields ? { fields } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}), ...(opts?.cause !== undefined ? { cause: opts.cause } : {}),
  });
}
