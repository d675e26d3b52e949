// The configuration schema: every setting, its type, its default. Validated once at start;
// a bad value stops start-up with a message naming the key.
import { hostname } from 'node:os';
import { z } from 'zod';
import { parseBytes, parseDuration } from './units.js';

const bytes = (def: number) =>
  z.preprocess((v) => parseBytes(v) ?? v, z.number().int().nonnegative()).default(def);
const duration = (def: number) =>
  z.preprocess((v) => parseDuration(v) ?? v, z.number().int().nonnegative()).default(def);
const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);
const bool = (def: boolean) =>
  z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean()).default(def);
const list = (def: string[]) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
    z.array(z.string()),
  ).default(def);

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not a known IANA time zone (e.g. Asia/Bangkok)');

const serverUrl = z.string().refine((v) => {
  if (v === '') return true;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be empty (no forward) or the central server\'s URL such as http://100.95.46.128:8765 (schemes: http, https)');

/** Schemes mqtt.js connects with; anything else would be retried forever or crash. */
const BROKER_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

const brokerUrl = z.string().refine((v) => {
  if (v === '') return true;
  try {
    const u = new URL(v);
    return BROKER_SCHEMES.includes(u.protocol) && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be empty (no uplink) or a broker URL such as mqtts://broker.example.com:8883 (schemes: mqtt, mqtts, ws, wss)');

/** Ids that become MQTT topic levels and file names (same rule as camera ids). */
const topicSafeId = z.string().min(1).max(64).regex(/^[^/+#\u0000-\u001f\u007f]+$/, 'must not contain / + # or control characters');

const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault({} as never);

export const configSchema = z.strictObject({
  /** This gateway's id: a topic level in every MQTT topic it publishes. */
  gatewayId: topicSafeId.default(() => hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'gateway'),
  /** Checkpoint id used for records whose camera did not send one. */
  checkpointId: topicSafeId.default('default'),
  /** Log, image blobs and broker persistence live here. */
  dataDir: z.string().min(1).default('./data'),
  http: section({
    host: z.string().min(1).default('0.0.0.0'),
    port: port(8765),
    /** Largest camera message accepted on REST and Socket.IO (base64 images make them big). */
    maxMessageBytes: bytes(16 * 1024 * 1024),
    /** Time allowed to receive one whole request (headers + body); protects against slow clients. */
    requestTimeout: duration(120_000),
    /** Most TCP connections at once (cameras, browsers, Socket.IO). */
    maxConnections: z.coerce.number().int().min(1).default(1024),
    /** Socket.IO: a client silent this long is disconnected. */
    pingTimeout: duration(20_000),
    /** Per client address: sustained camera messages per second, and the burst above it. */
    rateLimit: z.coerce.number().nonnegative().default(200),
    rateBurst: z.coerce.number().int().min(1).default(1000),
    /** Optional HTTPS/WSS listener (same API and Socket.IO) for cameras that speak TLS. */
    tls: section({
      port: port(0),
      cert: z.string().default(''),
      key: z.string().default(''),
    }),
  }),
  camera: section({
    /** Zone of cameras' naive local timestamps ("2025-08-24T17:53:54.123456"). */
    timezone: timeZone.default('Asia/Bangkok'),
    /** A resend of the same record inside this window gets the original id and is stored once. */
    dedupeWindow: duration(24 * 3_600_000),
    /** A camera is marked offline after this long without a record (3 × health interval). */
    offlineAfter: duration(15 * 60_000),
    /** node-cron schedule of the offline check. */
    presenceSchedule: z.string().default('*/30 * * * * *'),
    /** Per-camera tokens: once a camera id has one, its messages must carry it
     *  (Authorization: Bearer, X-API-Key, or Socket.IO auth.token). */
    tokens: z.record(z.string(), z.string().min(8, 'tokens must be at least 8 characters')).default({}),
    /** Only cameras listed here or in tokens may send; default: any camera. */
    knownOnly: bool(false),
    known: z.array(z.string()).default([]),
    /** Most images one record may carry (frame + plate crops). */
    maxImages: z.coerce.number().int().min(0).default(16),
    /** A camera whose clock is off by more than this (rolling median) is warned about. */
    clockWarning: duration(2 * 60_000),
    /** CIDRs allowed to send camera traffic (REST and Socket.IO). */
    networks: list(['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fe80::/10']),
  }),
  store: section({
    /** Group commit: most records written in one synced LevelDB batch. */
    maxBatchRecords: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Total size quota of the store (records + images); 0 = 80 % of the data filesystem. */
    maxBytes: bytes(0),
    /** Below this free space on the data filesystem new records are refused with 507. */
    diskFreeMinBytes: bytes(256 * 1024 * 1024),
    /** Delivered records are kept this long for local look-back. */
    retainDelivered: duration(7 * 86_400_000),
    /** Undelivered records older than this (running time, not wall clock) are dropped,
     *  counted and logged; 0 = never (the default: undelivered data is kept). */
    maxUndeliveredAge: duration(0),
    /** Over quota with nothing delivered left: "refuse" new records (507; cameras keep
     *  their copy) or "evict-oldest" undelivered images, then records (counted, logged). */
    whenFull: z.enum(['refuse', 'evict-oldest']).default('refuse'),
    /** node-cron schedule of the retention/quota sweep. */
    sweepSchedule: z.string().default('*/15 * * * * *'),
    /** node-cron schedule of LevelDB compaction (gives deleted ranges back to the disk). */
    compactSchedule: z.string().default('0 17 * * * *'),
  }),
  mqtt: section({
    /** The embedded MQTT broker local subscribers connect to. */
    enabled: bool(true),
    host: z.string().min(1).default('0.0.0.0'),
    port: port(1883),
    /** Publish images as binary JPEG on lpr/<cp>/<cam>/image/<id>/<name>. */
    publishImages: bool(true),
    /** Clients without a user name may connect (and subscribe to lpr/#, read-only). */
    allowAnonymous: bool(true),
    /** Optional MQTT over TLS listener (e.g. 8883), beside the plain one. */
    tls: section({
      port: port(0),
      cert: z.string().default(''),
      key: z.string().default(''),
    }),
    /** Broker users: passwordHash from `lpr-gateway hash-password`. */
    users: z.array(z.strictObject({
      username: z.string().min(1),
      passwordHash: z.string().regex(/^scrypt\$/, 'must be a scrypt hash (lpr-gateway hash-password)'),
      subscribe: z.array(z.string().min(1)).default(['lpr/#']),
      publish: z.array(z.string().min(1)).default([]),
    })).default([]),
  }),
  uplink: section({
    /** Cloud broker, e.g. mqtts://host:8883; empty = no uplink. */
    url: brokerUrl.default(''),
    username: z.string().default(''),
    password: z.string().default(''),
    /** Prepended to every upstream topic (e.g. "site-a/"). */
    topicPrefix: z.string().default(''),
    /** MQTT client id; empty = lprgw-<gatewayId>. */
    clientId: z.string().default(''),
    /** 4 = MQTT 3.1.1 (any broker), 5 = MQTT 5 (adds user properties). */
    protocolVersion: z.coerce.number().pipe(z.union([z.literal(4), z.literal(5)])).default(4),
    /** PEM files for mqtts:// (CA to pin, optional client certificate and key). */
    ca: z.string().default(''),
    cert: z.string().default(''),
    key: z.string().default(''),
    /** QoS 1 messages in flight (unacknowledged) at most; also the bound on duplicates. The
     *  JSON lane uses less where the link is slow (outbound/link-window.ts). */
    window: z.coerce.number().int().min(1).max(10_000).default(2000),
    /** Largest message the cloud broker accepts (AWS IoT Core: 128KB); 0 = no limit. */
    maxMessageBytes: bytes(0),
    /** Images over maxMessageBytes: "reference" (stay on the gateway) or "chunks". */
    oversizeImages: z.enum(['reference', 'chunks']).default('reference'),
    /** Forward images at all. */
    images: bool(true),
    /** Drain rate cap in messages per second; 0 = no cap. */
    maxRatePerSecond: z.coerce.number().nonnegative().default(0),
    /** Images are sent only while fewer than this many records wait (metadata first). */
    liveLagThreshold: z.coerce.number().int().min(0).default(100),
    connectTimeout: duration(10_000),
    /** A PUBACK missing this long means the connection is wedged: reconnect and resend. */
    ackTimeout: duration(30_000),
    /** How often the retained gateway status is refreshed. */
    statusInterval: duration(30_000),
  }),
  forward: section({
    /** An existing central LPR server speaking the cameras' protocol, e.g.
     *  http://100.95.46.128:8765; empty = no forward (outbound/forward/). */
    url: serverUrl.default(''),
    /** auto: Socket.IO first, REST while Socket.IO cannot connect (as the cameras' sender). */
    transport: z.enum(['auto', 'socketio', 'rest']).default('auto'),
    /** Extra HTTP headers on every request and Socket.IO handshake (a bearer token, an API key). */
    headers: z.record(z.string(), z.string()).default({}),
    /** PEM file of the CA to trust for an https:// server (pinning); empty = the system's. */
    ca: z.string().default(''),
    /** Records in flight at most (never more than one per camera): the bound on re-sends
     *  after a crash or reconnect, since the central server is not idempotent. */
    window: z.coerce.number().int().min(1).max(1000).default(8),
    /** An answer missing this long: the record is sent again (after a reconnect). */
    timeout: duration(30_000),
    connectTimeout: duration(10_000),
    /** While on REST because Socket.IO could not connect (transport auto), how often Socket.IO is tried again. */
    socketioRetry: duration(30_000),
  }),
  hotlist: section({
    /** Matches of one entry at one camera within this window count on one alert. */
    collapseWindow: duration(5 * 60_000),
    /** Take entries the cloud publishes (retained) on <prefix>lpr/gateway/<id>/hotlist/+ and <prefix>lpr/hotlist/+. */
    fromCloud: bool(true),
    /** Largest CSV/JSON import accepted by the admin API. */
    maxImportBytes: bytes(16 * 1024 * 1024),
  }),
  admin: section({
    /** Token for admin endpoints (export, replay, delete); empty = those endpoints are off. */
    token: z.string().default(''),
    /** Login (HTTP Basic) for the status page, read-back API and metrics; empty = open. */
    viewerUser: z.string().default(''),
    /** scrypt hash from `lpr-gateway hash-password`. */
    viewerPasswordHash: z.string().default(''),
  }),
  evidence: section({
    /**
     * Gone: every record is chained (the hash is one SHA-256 over the stored line, and a log
     * with unchained stretches is not evidence). Accepted as true so old files still load.
     */
    chain: z.unknown().optional().refine((v) => v === undefined || v === true || v === 'true', {
      message: 'evidence.chain was removed: every record is chained; delete the setting',
    }),
    /** How often a signed checkpoint of the chain head is made (only when records came). */
    checkpointInterval: duration(5 * 60_000),
  }),
  log: section({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Human-readable log lines instead of JSON; "auto" = when stdout is a terminal. */
    pretty: z.preprocess(
      (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v),
      z.union([z.literal('auto'), z.boolean()]),
    ).default('auto'),
  }),
});

export type GatewayConfig = z.output<typeof configSchema>;

/** A TLS listener is on when its port and both PEM files are set. */
export const tlsEnabled = (t: { port: number; cert: string; key: string }): boolean => t.port > 0 && t.cert !== '' && t.key !== '';
export type GatewayConfigInput = z.input<typeof configSchema>;
