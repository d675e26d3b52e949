// Shared pieces of the benchmarks: start a benchmark gateway process, run a timed load,
// print result tables with a reference column and the ratio.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Node/V8 flags of `npm start` (the systemd unit has the same; a test keeps them equal). */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(' ').filter((w) => w.startsWith('--'));
}

/** Flags for the benchmark's server processes: those the gateway ships with, unless
 *  BENCH_V8_FLAGS says otherwise (e.g. "--max-semi-space-size=4 --heap-growing-percent=15",
 *  or "" for V8's defaults). */
export const V8_FLAGS = (process.env.BENCH_V8_FLAGS ?? startFlags().join(' ')).split(' ').filter(Boolean);

export interface BenchGateway {
  child: ChildProcess;
  url: string;
  mqttPort: number | undefined;
  stop(): Promise<void>;
}

let builtServer: string | undefined;

/** The benchmarks' gateway server, bundled as npm run build bundles the gateway, so the
 *  figures are those of the code that ships (and no tsx loader thread in the process). */
function benchServerBundle(): string {
  if (!builtServer) {
    const outdir = join(ROOT, 'bench', '.tmp', 'bundle');
    execFileSync(process.execPath, ['scripts/build.mjs', outdir, 'bench/gateway-server.ts'], { cwd: ROOT, stdio: 'inherit' });
    builtServer = join(outdir, 'gateway-server.js');
  }
  return builtServer;
}

export function startBenchGateway(mode: 'durable' | 'no-storage' | 'unhashed', dataDir: string, extra: object = {}): Promise<BenchGateway> {
  return startBenchServer(benchServerBundle(), [mode, dataDir, JSON.stringify(extra)]);
}

/** A plain JavaScript server script (the bundled gateway server, bare express) that prints
 *  `{"port":…}` on its first stdout line, in its own process. */
export async function startBenchServer(script: string, args: string[]): Promise<BenchGateway> {
  // BENCH_PROF=DIR writes a V8 CPU profile of each server process there.
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(process.execPath, [...V8_FLAGS, ...prof, script, ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { port, mqttPort } = await new Promise<{ port: number; mqttPort?: number }>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`bench gateway exited ${code}`)));
    // The first JSON line: V8's tracing flags (BENCH_V8_FLAGS="... --trace-gc") print to
    // stdout too, and BENCH_TRACE=1 passes every line on to stderr.
    let started = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (process.env.BENCH_TRACE) process.stderr.write(`[server ${child.pid}] ${line}\n`);
      if (started || !line.startsWith('{')) return;
      started = true;
      ok(JSON.parse(line) as { port: number; mqttPort?: number });
    });
  });
  return {
    child, url: `http://127.0.0.1:${port}`, mqttPort,
    stop: () => new Promise<void>((ok) => {
      child.removeAllListeners('exit');
      child.once('exit', () => ok());
      child.kill('SIGTERM');
    }),
  };
}

/** CPU time (all threads: main, GC helpers, libuv pool, LevelDB's compaction) of a process, ms. */
export function cpuMs(pid: number | undefined): number {
  return ticksMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** utime + stime of a /proc stat line, ms (10 ms ticks). */
function ticksMs(stat: string): number {
  const fields = stat.split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of a process's main thread alone (its thread id is the pid), ms. */
function mainThreadMs(pid: number | undefined): number {
  return ticksMs(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
}

/** Busy and total jiffies of the whole box (every process, every core). */
function boxJiffies(): { busy: number; total: number } {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const idle = f[3]! + f[4]!; // idle + iowait
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * What limits a load: a reading of a server's main thread and of the whole box, and then
 * how busy each was since an earlier reading — the main thread as a share of the wall time
 * (near 1: its event loop is the limit), the box as a share of all its cores, load
 * generator included (near 1: the box is).
 */
export class LoadProbe {
  private readonly main: number;
  private readonly box = boxJiffies();
  private readonly at = performance.now();

  constructor(pid: number | undefined) {
    this.main = mainThreadMs(pid);
  }

  busySince(earlier: LoadProbe): { main: number; box: number } {
    return {
      main: (this.main - earlier.main) / (this.at - earlier.at),
      box: (this.box.busy - earlier.box.busy) / (this.box.total - earlier.box.total),
    };
  }
}

/** Length of each timed load (BENCH_SECONDS). */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** What a load costs (the server's CPU per operation, us, all threads) and what limits it (LoadProbe). */
export interface LoadCost {
  perSec: number;
  cpuUs: number;
  mainBusy: number;
  boxBusy: number;
}

/** Runs a load of SECONDS and measures its cost (see LoadCost) where the box has /proc. */
export async function withCpu(pid: number | undefined, load: () => Promise<number>): Promise<LoadCost> {
  const c0 = cpuMs(pid);
  const p0 = new LoadProbe(pid);
  const perSec = await load();
  const busy = new LoadProbe(pid).busySince(p0);
  return { perSec, cpuUs: perSec > 0 ? ((cpuMs(pid) - c0) * 1000) / (perSec * SECONDS) : Number.NaN, mainBusy: busy.main, boxBusy: busy.box };
}

/** Runs `workers` loops of `step` for `seconds`; returns completed operations per second. */
export async function timedLoad(workers: number, seconds: number, step: (worker: number) => Promise<number>): Promise<{ ops: number; perSec: number }> {
  const end = Date.now() + seconds * 1000;
  let ops = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (Date.now() < end) {
      const done = await step(w); // not `ops += await ...`: that reads ops before the await
      ops += done;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  return { ops, perSec: ops / elapsed };
}

export interface Row {
  name: string;
  reference: number;
  measured: number;
  unit: string;
  target?: number;
}

/** The middle value (the upper one of an even count). */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
}

/** A share as a percentage ("-" when not measured). */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : '-';
}

/** "min / median / max" of repeated runs. */
export function spread(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]?.toFixed(0)} / ${median(s).toFixed(0)} / ${s[s.length - 1]?.toFixed(0)}`;
}

export function printTable(title: string, referenceName: string, measuredName: string, rows: Row[]): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`\n${title}`);
  console.log(`${pad('scenario', 44)}${pad(referenceName, 18)}${pad(measuredName, 18)}ratio   target`);
  for (const r of rows) {
    const ratio = r.reference > 0 ? r.measured / r.reference : Number.NaN;
    const verdict = r.target === undefined ? '' : `${ratio >= r.target ? 'meets' : 'BELOW'} ≥${r.target}×`;
    console.log(`${pad(r.name, 44)}${pad(`${r.reference.toFixed(0)} ${r.unit}`, 18)}${pad(`${r.measured.toFixed(0)} ${r.unit}`, 18)}${pad(ratio.toFixed(2), 8)}${verdict}`);
  }
}
