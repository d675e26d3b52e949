// npm run build — the gateway as a few minified ES modules in dist/ (main.js plus chunks
// for what is imported lazily: CLI commands, the MQTT client, the CSV parser).
//
// Why a bundle and not tsc's file-per-module output: V8 keeps every loaded module's source
// text in the heap, and the start-up compiles grow the young generation. One whitespace-
// minified bundle takes 11 MB of private memory off the gateway's footprint (RssAnon
// 50 → 39 MB at idle) and starts faster. Identifiers are kept, so stack traces still name
// functions; the .map files map them back to src/ (node --enable-source-maps).
//
// Only packages that find their own files at run time stay outside the bundle and load
// from node_modules: the native LevelDB binding, pino and its transports (worker threads),
// node-cron (its daemon file). Everything else is bundled, so each package is loaded once:
// a dependency kept outside would bring its own copies of what the bundle already holds
// (readable-stream, ws, ...). The status page's Socket.IO client is served by ops-routes.
//
// Two starts at once, or a CLI call while the gateway starts, must never see a half-written
// dist/ (`npm start` builds first: a second start deleted chunks the first was loading,
// ERR_MODULE_NOT_FOUND). So a build goes into its own folder, dist/build-<fingerprint>/,
// named for what it was built from (sources, lock file, this script), written beside and
// renamed into place whole; dist/main.js is a one-line module that imports it, replaced by
// a rename. Nothing a running process loads is ever rewritten or deleted at once: the two
// builds before the current one are kept for processes still running them. Unchanged
// sources build nothing.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// node scripts/build.mjs [OUTDIR [ENTRY]]: ENTRY other than src/main.ts is for the
// benchmarks, which run their gateway server (bench/gateway-server.ts) built the same way.
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? `${root}dist`;
const entry = process.argv[3] ?? 'src/main.ts';
const stubName = basename(entry).replace(/\.ts$/, '.js');
const KEEP_OLDER = 2;

const EXTERNAL = ['classic-level', 'pino', 'pino-pretty', 'thread-stream', 'node-cron'];

// Every require('debug') gets src/quiet-debug.cjs, which is the real package only when
// DEBUG is set (why: in that file).
const quietDebug = {
  name: 'quiet-debug',
  setup(b) {
    b.onResolve({ filter: /^debug$/ }, () => ({ path: `${root}src/quiet-debug.cjs` }));
  },
};

/** Files under `dir`, sorted, as paths relative to the root. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [relative(root, p)];
  }).sort();
}

/** What the bundle is made from: every byte of it decides the build folder's name. */
function fingerprint() {
  const h = createHash('sha256');
  const inputs = [entry, 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs', ...filesUnder(join(root, 'src')), ...(entry.startsWith('src/') ? [] : filesUnder(join(root, entry.split('/')[0])))];
  for (const f of [...new Set(inputs)]) {
    if (!existsSync(join(root, f))) continue;
    h.update(`${f}\0`).update(readFileSync(join(root, f))).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

const id = `build-${fingerprint()}`;
const target = join(outdir, id);
const stub = join(outdir, stubName);
const stubText = `// Built by scripts/build.mjs: the bundle of this build is in ./${id}/.\nimport './${id}/${stubName}';\n`;
mkdirSync(outdir, { recursive: true });

if (!existsSync(join(target, '.complete'))) {
  const scratch = join(outdir, `.tmp-${process.pid}-${Date.now()}`);
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outdir: scratch,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    // CommonJS dependencies inside an ES module bundle call require() for Node's built-ins.
    banner: { js: "import { createRequire as __lprCreateRequire } from 'node:module'; const require = __lprCreateRequire(import.meta.url);" },
    plugins: [quietDebug],
    logLevel: 'warning',
  });
  writeFileSync(join(scratch, '.complete'), '');
  try {
    renameSync(scratch, target);
  } catch (err) {
    // Another build of the same sources finished first: its folder is the same bundle.
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(target, '.complete'))) throw err;
  }
}

if (existsSync(stub) && readFileSync(stub, 'utf8') === stubText) {
  const now = new Date();
  utimesSync(stub, now, now); // built from the current sources: say so by its time too
} else {
  const next = `${stub}.tmp-${process.pid}`;
  writeFileSync(next, stubText);
  renameSync(next, stub);
}
utimesSync(target, new Date(), new Date()); // the newest build folder is the one in use

// What no process should still be loading: older builds past the last KEEP_OLDER, scratch
// folders of builds that died over an hour ago, and the single-folder layout before this one.
const hourAgo = Date.now() - 3600_000;
const builds = readdirSync(outdir).filter((n) => n.startsWith('build-') && n !== id)
  .map((n) => ({ n, t: statSync(join(outdir, n)).mtimeMs })).sort((a, b) => b.t - a.t);
for (const { n } of builds.slice(KEEP_OLDER)) rmSync(join(outdir, n), { recursive: true, force: true });
for (const n of readdirSync(outdir)) {
  const p = join(outdir, n);
  if (n.startsWith('.tmp-') && statSync(p).mtimeMs < hourAgo) rmSync(p, { recursive: true, force: true });
  const oldLayout = /\.js(\.map)?$/.test(n) && !(n.endsWith('.js') && readFileSync(p, 'utf8').startsWith('// Built by scripts/build.mjs'));
  if (oldLayout) rmSync(p, { force: true });
}
