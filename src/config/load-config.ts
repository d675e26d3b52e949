// Loads the configuration: shipped config/default.yaml ← operator file (--config or
// LPRGW_CONFIG) ← LPRGW_* environment variables, then validates it against the schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../package-root.js';
import { configSchema, type GatewayConfig } from './schema.js';

export const DEFAULT_CONFIG_FILE = join(PACKAGE_ROOT, 'config', 'default.yaml');

/** Environment variables that always work (README.md "Configuration"), and the config key each sets. */
export const ENV_KEYS: Record<string, string> = {
  LPRGW_DATA_DIR: 'dataDir',
  LPRGW_GATEWAY_ID: 'gatewayId',
  LPRGW_CHECKPOINT_ID: 'checkpointId',
  LPRGW_HTTP_HOST: 'http.host',
  LPRGW_HTTP_PORT: 'http.port',
  LPRGW_MAX_MESSAGE_BYTES: 'http.maxMessageBytes',
  LPRGW_CAMERA_TZ: 'camera.timezone',
  LPRGW_CAMERA_NETWORKS: 'camera.networks',
  LPRGW_DEDUPE_WINDOW: 'camera.dedupeWindow',
  LPRGW_MQTT_HOST: 'mqtt.host',
  LPRGW_MQTT_PORT: 'mqtt.port',
  LPRGW_UPLINK_URL: 'uplink.url',
  LPRGW_UPLINK_USERNAME: 'uplink.username',
  LPRGW_UPLINK_PASSWORD: 'uplink.password',
  LPRGW_UPLINK_TOPIC_PREFIX: 'uplink.topicPrefix',
  LPRGW_FORWARD_URL: 'forward.url',
  LPRGW_FORWARD_TRANSPORT: 'forward.transport',
  LPRGW_STORE_MAX_BYTES: 'store.maxBytes',
  LPRGW_DISK_FREE_MIN_BYTES: 'store.diskFreeMinBytes',
  LPRGW_STORE_WHEN_FULL: 'store.whenFull',
  LPRGW_ADMIN_TOKEN: 'admin.token',
  LPRGW_LOG_LEVEL: 'log.level',
  LPRGW_LOG_PRETTY: 'log.pretty',
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeInto(target: Tree, source: Tree): Tree {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    target[key] = isTree(current) && isTree(value) ? mergeInto({ ...current }, value) : value;
  }
  return target;
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    if (!isTree(node[key])) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1] as string] = value;
}

function readYaml(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isTree(doc)) throw new ConfigError(`config file ${file} must hold a mapping of settings`);
  return doc;
}

export interface LoadConfigOptions {
  /** Operator file; falls back to env.LPRGW_CONFIG. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Values set last, above everything (used by tests and the CLI). */
  overrides?: Tree;
}

export function loadConfig(opts: LoadConfigOptions = {}): GatewayConfig {
  return loadConfigWithOrigins(opts).config;
}

/** Where a setting's value came from. */
export type Origin = 'default' | 'file' | 'env' | 'override';

export interface LoadedConfig {
  config: GatewayConfig;
  /** The operator file read, if any. */
  file: string | undefined;
  /** Setting path → origin, for every setting not at its default (`config show`). */
  origins: Map<string, { origin: Origin; env?: string }>;
}

export function loadConfigWithOrigins(opts: LoadConfigOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const merged: Tree = readYaml(DEFAULT_CONFIG_FILE);
  const origins = new Map<string, { origin: Origin; env?: string }>();
  const file = opts.file ?? env.LPRGW_CONFIG;
  if (file) {
    const tree = readYaml(file);
    for (const path of leafPaths(tree)) origins.set(path, { origin: 'file' });
    mergeInto(merged, tree);
  }
  const fromEnv = new Map<string, string>();
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '' && !path.startsWith('uplink.') && path !== 'admin.token') continue;
    setPath(merged, path, value);
    fromEnv.set(path, name);
    origins.set(path, { origin: 'env', env: name });
  }
  if (opts.overrides) {
    for (const path of leafPaths(opts.overrides)) origins.set(path, { origin: 'override' });
    mergeInto(merged, opts.overrides);
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k].join('.')) : [];
      const key = keys.length ? keys.join(', ') : issue.path.join('.') || '(root)';
      const envName = fromEnv.get(issue.path.join('.'));
      const message = issue.code === 'unrecognized_keys' ? 'unknown setting' : issue.message;
      return `  ${key}: ${message}${envName ? ` (from ${envName})` : ''}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return { config: result.data, file, origins };
}

/** Dotted paths of a tree's leaves (arrays are leaves). */
export function leafPaths(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (isTree(v) ? leafPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** LPRGW_* variables read besides the settings in ENV_KEYS. */
const OTHER_ENV_NAMES = ['LPRGW_CONFIG'];

/**
 * LPRGW_* variables that set nothing (a typo such as LPRGW_UPLINK_ULR is otherwise ignored
 * in silence), each with the known name closest to it.
 */
export function unknownEnvNames(env: NodeJS.ProcessEnv = process.env): { name: string; closest: string }[] {
  const known = [...Object.keys(ENV_KEYS), ...OTHER_ENV_NAMES];
  return Object.keys(env)
    .filter((name) => name.startsWith('LPRGW_') && !known.includes(name))
    .map((name) => ({ name, closest: known.reduce((best, k) => (editDistance(name, k) < editDistance(name, best) ? k : best)) }));
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}
