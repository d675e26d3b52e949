// Matches every stored detection against the hotlist, after it is durable (a follower of
// the log: the camera's ack never waits for this, and a crash repeats, never skips, a
// match). A match is an `alert` record in the log, which the local broker and the uplink
// then publish like any record. Matches of the same entry at the same camera within the
// collapse window (measured on receive times, so a replay collapses the same way) count
// on the open alert instead of raising new ones.
import type { Logger } from 'pino';
import { uuidV7 } from '../log/uuid-v7.js';
import { KINDS } from '../kinds/index.js';
import type { AlertData, DetectionData, NewRecord, StoredRecord } from '../log/record.js';
import type { RecordLog } from '../log/record-log.js';
import { LogFollower } from '../outbound/log-follower.js';
import { plateReadings } from '../plates/plate-readings.js';
import type { Hotlist, HotlistMatch } from './hotlist.js';

/** What the status page and /api/alerts show of an alert. */
export interface AlertSummary {
  alert_id: string;
  seq: number;
  detection_id: string;
  camera_id: string;
  checkpoint_id: string;
  plate: string;
  match: 'exact' | 'fuzzy';
  level: string;
  reason: string;
  note: string | null;
  entry_plate: string;
  entry_key: string;
  source: string;
  /** Camera time of the first detection, its receive time, and of the latest repeat. */
  time: string;
  received_at: string;
  last_seen: string;
  last_detection_id: string;
  last_detection_seq: number;
  /** Detections this alert stands for (1 + repeats inside the collapse window). */
  count: number;
  images: { name: string; sha256: string }[];
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

interface Board {
  alerts: AlertSummary[];
}

const BOARD_STATE = 'alerts.board';
/** Alerts kept on the board (newest first): open ones and recent history. */
const BOARD_SIZE = 100;

export interface AlertWatchOptions {
  log: RecordLog;
  hotlist: Hotlist;
  logger: Logger;
  collapseWindowMs: number;
}

export class AlertWatch {
  readonly follower: LogFollower;
  private board: Board = { alerts: [] };
  private readonly listeners = new Set<(a: AlertSummary, isNew: boolean) => void>();
  /** Alerts raised since start, repeats collapsed since start. */
  raised = 0;
  collapsed = 0;

  constructor(private readonly opts: AlertWatchOptions) {
    this.follower = new LogFollower({
      log: opts.log, name: 'hotlist', logger: opts.logger, handle: (page) => this.check(page),
      // A gateway upgraded with a long history does not alert on last month's traffic.
      firstStart: async () => opts.log.lastSeq(),
      // Nothing to match against: pass the records over without reading them.
      idle: () => opts.hotlist.size === 0,
    });
  }

  async start(): Promise<void> {
    this.board = (await this.opts.log.getState<Board>(BOARD_STATE)) ?? { alerts: [] };
    this.unwatch = this.opts.hotlist.onChange(() => this.follower.wake());
    await this.follower.start();
  }

  stop(): Promise<void> {
    this.unwatch?.();
    return this.follower.stop();
  }

  private unwatch: (() => void) | undefined;

  /** Newest first. */
  alerts(): AlertSummary[] {
    return this.board.alerts;
  }

  /** Those nobody has acknowledged yet (the banner). */
  open(): AlertSummary[] {
    return this.board.alerts.filter((a) => !a.acknowledged_at);
  }

  /** Called for every new alert and every repeat counted on one. */
  onAlert(listener: (a: AlertSummary, isNew: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A viewer saw it: the banner goes for everyone. False when no such alert is on the board. */
  async acknowledge(alertId: string, by: string): Promise<AlertSummary | undefined> {
    const a = this.board.alerts.find((x) => x.alert_id === alertId);
    if (!a) return undefined;
    if (!a.acknowledged_at) {
      a.acknowledged_at = new Date().toISOString();
      a.acknowledged_by = by;
      await this.opts.log.setState(BOARD_STATE, this.board);
      for (const l of this.listeners) l(a, false);
    }
    return a;
  }

  private async check(page: StoredRecord[]): Promise<void> {
    if (this.opts.hotlist.size === 0) return;
    let changed = false;
    for (const r of page) {
      if (r.kind !== 'detection') continue;
      const seen = new Set<string>();
      for (const reading of plateReadings(r.data as unknown as DetectionData)) {
        for (const m of this.opts.hotlist.match(reading)) {
          const entryId = `${m.source}/${m.key}`;
          if (seen.has(entryId)) continue;
          seen.add(entryId);
          if (await this.raise(r, reading, m, entryId)) changed = true;
        }
      }
    }
    if (changed) await this.opts.log.setState(BOARD_STATE, this.board);
  }

  /** True when the board changed. */
  private async raise(r: StoredRecord, reading: string, m: HotlistMatch, entryId: string): Promise<boolean> {
    const at = Date.parse(r.received_at);
    const open = this.board.alerts.find((a) =>
      `${a.source}/${a.entry_key}` === entryId && a.camera_id === r.camera_id && at - Date.parse(a.last_seen) <= this.opts.collapseWindowMs);
    if (open) {
      if (r.seq <= open.last_detection_seq) return false; // a page repeated after a crash
      open.count += 1;
      open.last_seen = r.received_at;
      open.last_detection_id = r.id;
      open.last_detection_seq = r.seq;
      this.collapsed += 1;
      for (const l of this.listeners) l(open, false);
      return true;
    }
    const e = await this.opts.hotlist.entry(m.source, m.key);
    if (!e) return false; // removed since the match
    const data: AlertData = {
      detection_id: r.id, detection_seq: r.seq, plate: reading, plate_key: m.read_key, match: m.exact ? 'exact' : 'fuzzy',
      entry: { plate: e.plate, key: e.key, reason: e.reason, level: e.level, note: e.note, expires_at: e.expires_at, fuzzy: e.fuzzy, source: e.source },
      images: r.images.filter((i) => !i.evicted).map((i) => ({ name: i.name, content_type: i.content_type, bytes: i.bytes, sha256: i.sha256 })),
    };
    const now = Date.now();
    const id = uuidV7(now);
    const record: NewRecord = {
      id, kind: 'alert', gateway_id: r.gateway_id, camera_id: r.camera_id, checkpoint_id: r.checkpoint_id,
      timestamp: r.timestamp, time: r.time, received_at: new Date(now).toISOString(), source: 'gateway',
      data: KINDS.alert.members({ id, camera_id: r.camera_id, checkpoint_id: r.checkpoint_id, raw: {}, data, images: [] }), images: [], size: 600 + JSON.stringify(data).length,
    };
    // A repeated page finds the alert it already wrote (same detection, same entry).
    const appended = await this.opts.log.append(record, { dedupeKey: `alert:${r.id}:${entryId}` });
    if (this.board.alerts.some((a) => a.alert_id === appended.id)) return false;
    const summary: AlertSummary = {
      alert_id: appended.id, seq: appended.seq, detection_id: r.id, camera_id: r.camera_id, checkpoint_id: r.checkpoint_id,
      plate: reading, match: data.match, level: e.level, reason: e.reason, note: e.note, entry_plate: e.plate, entry_key: e.key, source: e.source,
      time: r.time, received_at: r.received_at, last_seen: r.received_at, last_detection_id: r.id, last_detection_seq: r.seq, count: 1,
      images: data.images.map((i) => ({ name: i.name, sha256: i.sha256 })), acknowledged_at: null, acknowledged_by: null,
    };
    this.board.alerts.unshift(summary);
    this.board.alerts.length = Math.min(this.board.alerts.length, BOARD_SIZE);
    this.raised += 1;
    this.opts.logger.warn({ alert_id: summary.alert_id, plate: reading, entry: e.plate, level: e.level, reason: e.reason, camera_id: r.camera_id, match: data.match }, 'hotlist alert');
    for (const l of this.listeners) l(summary, true);
    return true;
  }
}
