// npm run build — the gateway as a few minified ES modules in dist/ (main.js plus chunks
// for what is imported lazily: CLI commands, the MQTT client, the CSV parser).
//
// Why a bundle and not tsc's file-per-module output: V8 keeps every loaded module's source
// text in the heap, and the start-up compiles grow the young generation. One whitespace-
// minified bundle takes 11 MB of private memory off the gateway's footprint (RssAnon
// 50 → 39 MB at idle) and starts faster. Identifiers are kept, so stack traces still name
// functions; dist/*.map maps them back to src/ (node --enable-source-maps).
//
// Only packages that find their own files at run time stay outside the bundle and load
// from node_modules: the native LevelDB binding, pino and its transports (worker threads),
// node-cron (its daemon file). Everything else is bundled, so each package is loaded once:
// a dependency kept outside would bring its own copies of what the bundle already holds
// (readable-stream, ws, ...). The status page's Socket.IO client is served by ops-routes.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// node scripts/build.mjs [OUTDIR [ENTRY]]: ENTRY other than src/main.ts is for the
// benchmarks, which run their gateway server (bench/gateway-server.ts) built the same way.
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? `${root}dist`;
const entry = process.argv[3] ?? 'src/main.ts';

const EXTERNAL = ['classic-level', 'pino', 'pino-pretty', 'thread-stream', 'node-cron'];

// Every require('debug') gets src/quiet-debug.cjs, which is the real package only when
// DEBUG is set (why: in that file).
const quietDebug = {
  name: 'quiet-debug',
  setup(b) {
    b.onResolve({ filter: /^debug$/ }, () => ({ path: `${root}src/quiet-debug.cjs` }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outdir,
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
