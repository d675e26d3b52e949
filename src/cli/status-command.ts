// `lpr-gateway status`: asks a running gateway (its HTTP port) for cameras, backlog,
// uplink and version, and prints them for a person (or as JSON with --json).
export interface StatusOptions {
  url: string;
  json?: boolean;
}

interface Statistics {
  data: {
    total_detections: number;
    total_health: number;
    last_update: string;
    cameras: { camera_id: string; checkpoint_id: string; last_seen: string; detections: number; state?: string }[];
    backlog: { records: number; bytes: number; oldest_age_s: number | null; drain_rate_per_s: number; eta_s: number | null } | null;
    uplink: { state: string; last_error?: string | null };
    forward?: {
      state: string; url: string; transport: string | null; offline_since: string | null; last_error: string | null; last_error_at: string | null;
      parked: number; backlog: { records: number; bytes: number; oldest_age_s: number | null };
    } | null;
    hotlist?: { entries: number; alerts_open: number };
    store_health?: { used_bytes: number; quota_bytes: number; disk_free_bytes: number; problem: { message: string; since?: string } | null };
    camera_clocks?: { camera_id: string; offset_s: number; warning: boolean }[];
  };
}

export async function statusCommand(opts: StatusOptions): Promise<number> {
  let stats: Statistics;
  let ready: Record<string, unknown>;
  try {
    const [s, r] = await Promise.all([fetch(`${opts.url}/api/statistics`), fetch(`${opts.url}/readyz`)]);
    stats = (await s.json()) as Statistics;
    ready = (await r.json()) as Record<string, unknown>;
  } catch (err) {
    process.stderr.write(`lpr-gateway: no gateway answers at ${opts.url} (${(err as Error).message})\n`);
    return 1;
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ready, statistics: stats.data }, null, 2)}\n`);
    return 0;
  }
  const d = stats.data;
  const lines = [
    `gateway     ${opts.url}  ${String(ready.status)}  (log ${String(ready.log)}, mqtt ${String(ready.mqtt)})`,
    ...(d.store_health?.problem ? [`store       ${d.store_health.problem.message}${d.store_health.problem.since ? ` since ${d.store_health.problem.since}` : ''} — camera messages are refused (507/503) until it recovers`] : []),
    `uplink      ${d.uplink.state}${d.uplink.last_error ? `  last error: ${d.uplink.last_error}` : ''}`,
    ...(d.forward ? [forwardLine(d.forward)] : []),
    d.backlog
      ? `backlog     ${d.backlog.records} records, ~${Math.round(d.backlog.bytes / 1024)} KiB, oldest ${d.backlog.oldest_age_s ?? 0} s, ${d.backlog.drain_rate_per_s}/s, ETA ${d.backlog.eta_s ?? '?'} s`
      : 'backlog     (no uplink configured)',
    `records     ${d.total_detections} detections, ${d.total_health} health reports, last ${d.last_update}`,
    ...(d.hotlist ? [`hotlist     ${d.hotlist.entries} entries, ${d.hotlist.alerts_open} open alerts${d.hotlist.alerts_open ? ' (GET /api/alerts)' : ''}`] : []),
    `cameras     ${d.cameras.length}`,
    ...d.cameras.map((c) => {
      const clock = d.camera_clocks?.find((k) => k.camera_id === c.camera_id);
      const skew = clock?.warning ? `  clock off by ${clock.offset_s} s (${clock.offset_s > 0 ? 'behind' : 'ahead'})` : '';
      return `  ${c.checkpoint_id}/${c.camera_id}  ${(c.state ?? 'unknown').padEnd(8)} last seen ${c.last_seen}  ${c.detections} detections${skew}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return ready.status === 'ready' ? 0 : 3;
}

function forwardLine(f: NonNullable<Statistics['data']['forward']>): string {
  const parts = [`${f.state}${f.transport ? ` over ${f.transport}` : ''} to ${f.url}`,
    `${f.backlog.records} records waiting (~${Math.round(f.backlog.bytes / 1024)} KiB, oldest ${f.backlog.oldest_age_s ?? 0} s)`];
  if (f.offline_since) parts.push(`offline since ${f.offline_since}`);
  if (f.last_error) parts.push(`last error: ${f.last_error}${f.last_error_at ? ` at ${f.last_error_at}` : ''}`);
  if (f.parked) parts.push(`${f.parked} parked`);
  return `forward     ${parts.join(', ')}`;
}
