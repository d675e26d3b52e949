// npm run bench:pipeline — the gateway's own cost per durable record, without a transport:
// ingest.accept() on a LevelDB store in one process (bench/pipeline-run.ts), hash chain on
// and off alternating, BENCH_REPS (default 5) times, each run a fresh process with the
// gateway's V8 flags. CPU per record is steadier here than in bench:ingest, where the load
// generator shares the box: a change of a few per cent shows.
import { execFileSync } from 'node:child_process';
import { median, ROOT, spread, V8_FLAGS } from './bench-kit.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
type Run = { perSec: number; cpuUs: number };
const runs: Record<'chain-on' | 'chain-off', Run[]> = { 'chain-on': [], 'chain-off': [] };
for (let rep = 0; rep < REPS; rep++) {
  for (const mode of ['chain-on', 'chain-off'] as const) {
    const out = execFileSync(process.execPath, [...V8_FLAGS, '--import', 'tsx', 'bench/pipeline-run.ts', mode], { cwd: ROOT, encoding: 'utf8' });
    runs[mode].push(JSON.parse(out.trim().split('\n').pop()!) as Run);
  }
}
console.log(`bench:pipeline — durable ingest in process, ${process.env.BENCH_RECORDS ?? 30_000} × 1 KB detections, 100 in flight, ${REPS} alternating runs (min / median / max)`);
for (const mode of ['chain-on', 'chain-off'] as const) {
  const r = runs[mode];
  console.log(`${mode.padEnd(10)} CPU per record ${spread(r.map((x) => x.cpuUs))} us   records/s ${spread(r.map((x) => x.perSec))}`);
}
const on = median(runs['chain-on'].map((x) => x.cpuUs));
const off = median(runs['chain-off'].map((x) => x.cpuUs));
console.log(`the hash chain costs ${(on - off).toFixed(1)} us per record (${((100 * (on - off)) / off).toFixed(0)} % of the CPU without it)`);
