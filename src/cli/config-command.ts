// `lpr-gateway config check|show`: validate the operator file plus environment the way
// start-up does (exit 2 naming every bad key, like `nginx -t`), or print every effective
// setting with where it came from. Secrets are masked.
import { ConfigError, leafPaths, loadConfigWithOrigins, unknownEnvNames, type LoadedConfig } from '../config/load-config.js';

const SECRET = /password|token/i;

function load(file: string | undefined): LoadedConfig | number {
  try {
    return loadConfigWithOrigins({ file });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`lpr-gateway: ${err.message}\n`);
    return 2;
  }
}

function warnUnknownEnv(): void {
  for (const { name, closest } of unknownEnvNames()) process.stderr.write(`warning: ${name} is not a setting and is ignored; did you mean ${closest}?\n`);
}

export function configCheck(opts: { config?: string }): number {
  const loaded = load(opts.config);
  if (typeof loaded === 'number') return loaded;
  warnUnknownEnv();
  const count = (o: string) => [...loaded.origins.values()].filter((v) => v.origin === o).length;
  process.stdout.write(`configuration OK: ${loaded.file ? `file ${loaded.file}` : 'no operator file'}, ${count('file')} setting(s) from the file, ${count('env')} from the environment\n`);
  return 0;
}

export function configShow(opts: { config?: string }): number {
  const loaded = load(opts.config);
  if (typeof loaded === 'number') return loaded;
  warnUnknownEnv();
  const tree = loaded.config as unknown as Record<string, unknown>;
  const paths = leafPaths(tree);
  const width = Math.max(...paths.map((p) => p.length));
  for (const path of paths) {
    const value = path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], tree);
    const from = loaded.origins.get(path) ?? originOfParent(loaded, path);
    const origin = from.origin === 'env' ? `env ${from.env}` : from.origin;
    process.stdout.write(`${path.padEnd(width)}  ${show(path, value)}  (${origin})\n`);
  }
  return 0;
}

/** A map such as camera.tokens set as a whole takes its parent's origin. */
function originOfParent(loaded: LoadedConfig, path: string): { origin: string; env?: string } {
  for (let p = path; p.includes('.'); ) {
    p = p.slice(0, p.lastIndexOf('.'));
    const hit = loaded.origins.get(p);
    if (hit) return hit;
  }
  return { origin: 'default' };
}

function show(path: string, value: unknown): string {
  if (SECRET.test(path)) return value === '' ? '""' : '******** (set)';
  // Arrays of objects (mqtt.users) may hold secrets inside.
  return JSON.stringify(value, (k, v: unknown) => (k && SECRET.test(k) && v !== '' ? '******** (set)' : v));
}
