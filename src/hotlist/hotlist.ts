// The hotlist kept on the gateway: durable in the log's "hotlist" table, indexed in memory
// so every detection is matched in microseconds, offline. Table keys are
// `<source>/<plate key>`: an operator's entry and the cloud's for the same plate live side
// by side, and a cloud removal never deletes what an operator added here.
// Memory stays small at 100,000 entries: the index holds a few bits per plate and source
// (present, fuzzy, level), expiry times only of entries that expire, and the one-deletion
// variants of fuzzy plates; reasons and notes are read from the table when an alert fires.
import { GroupCommit } from '../log/group-commit.js';
import type { RecordLog, Table } from '../log/record-log.js';
import { deletions, normalisePlate, withinOneEdit } from '../plates/plate-text.js';
import { ALERT_LEVELS, plateKey, type AlertLevel, type EntryFields, type EntrySource, type HotlistEntry } from './hotlist-entry.js';

export interface HotlistMatch {
  source: EntrySource;
  /** The entry's plate key, and the reading's. */
  key: string;
  read_key: string;
  level: AlertLevel;
  exact: boolean;
}

export interface HotlistChange {
  source: EntrySource;
  plate: string;
  /** null removes the entry. */
  fields: EntryFields | null;
}

export interface ChangeResult {
  entry?: HotlistEntry;
  created: boolean;
  removed: boolean;
  /** False when the entry was already exactly so (nothing written). */
  changed: boolean;
}

const IMPORT_BATCH = 1000;
const LOAD_PAGE = 1000;
const SOURCES: readonly EntrySource[] = ['local', 'cloud', 'fleet'];
const rowKey = (source: EntrySource, key: string) => `${source}/${key}`;

// Four bits per source in one number per plate key: present, fuzzy, level (2 bits).
const PRESENT = 1;
const FUZZY = 2;
const shift = (source: EntrySource) => SOURCES.indexOf(source) * 4;
const flagsOf = (e: HotlistEntry) => (PRESENT | (e.fuzzy ? FUZZY : 0) | (ALERT_LEVELS.indexOf(e.level) << 2)) << shift(e.source);
const sourceBits = (all: number, source: EntrySource) => (all >> shift(source)) & 0xf;
const anyFuzzy = (all: number) => SOURCES.some((s) => (sourceBits(all, s) & FUZZY) !== 0);

const sameContent = (a: HotlistEntry, b: HotlistEntry) =>
  a.plate === b.plate && a.reason === b.reason && a.level === b.level && a.expires_at === b.expires_at && a.fuzzy === b.fuzzy && a.note === b.note;

export class Hotlist {
  /** plate key → flags of every source that lists it. */
  private readonly keys = new Map<string, number>();
  /** `<source>/<key>` → expiry (epoch ms), only for entries that expire. */
  private readonly expiry = new Map<string, number>();
  /** One-deletion variant (and the key itself) of fuzzy plates → those plate keys. */
  private readonly variants = new Map<string, string | string[]>();
  private count = 0;
  private readonly listeners = new Set<() => void>();
  // Every write goes through `serial`: applyMany reads the rows, awaits, then writes, so two
  // at once would each see the other's row missing (two PUTs of one plate both "created",
  // the count 2 with one row). Concurrent single changes share one batch (GroupCommit).
  private serial: Promise<unknown> = Promise.resolve();
  private readonly commits = new GroupCommit<HotlistChange, ChangeResult>((changes) => this.exclusive(() => this.applyMany(changes)), IMPORT_BATCH);

  /** The hotlist's own keyspace: <source>/<plate key> → entry (synced writes). */
  private readonly entries: Table<HotlistEntry>;

  constructor(log: RecordLog, private readonly now: () => number = Date.now) {
    this.entries = log.table<HotlistEntry>('hotlist');
  }

  async load(): Promise<void> {
    this.keys.clear();
    this.expiry.clear();
    this.variants.clear();
    this.count = 0;
    // Paged, so a long list is never all in memory as objects at once.
    let after: string | undefined;
    for (;;) {
      const page = await this.entries.range({ ...(after === undefined ? {} : { gte: `${after}\u0000` }), limit: LOAD_PAGE });
      for (const [, e] of page) this.index(e);
      if (page.length < LOAD_PAGE) break;
      after = page[page.length - 1]![0];
    }
  }

  get size(): number {
    return this.count;
  }

  /** Every entry, expired ones marked (they stay until removed, but no longer match). */
  async list(): Promise<(HotlistEntry & { expired: boolean })[]> {
    const now = this.now();
    return (await this.entries.range({})).map(([, e]) => ({ ...e, expired: this.expired(e, now) }));
  }

  /** One entry by source and plate (as written or normalised). */
  async get(source: EntrySource, plate: string): Promise<HotlistEntry | undefined> {
    return this.entry(source, plateKey(plate));
  }

  /** One entry by source and plate key (what a match names). */
  async entry(source: EntrySource, key: string): Promise<HotlistEntry | undefined> {
    const [e] = await this.entries.get([rowKey(source, key)]);
    return e;
  }

  /**
   * Adds or replaces entries, durably (synced), in batches of 1000 so a list of 100,000
   * never sits in memory as one LevelDB batch. A crash midway leaves the first batches
   * written; importing the same list again completes it. Returns counts, not the entries:
   * a list of 100,000 answered entry by entry held tens of MB more at the import's peak,
   * which V8 keeps as resident memory long after.
   */
  async importMany(source: EntrySource, items: { plate: string; fields: EntryFields }[]): Promise<{ imported: number; created: number }> {
    let created = 0;
    for (let i = 0; i < items.length; i += IMPORT_BATCH) {
      const batch = items.slice(i, i + IMPORT_BATCH).map(({ plate, fields }) => ({ source, plate, fields }));
      const done = await this.exclusive(() => this.applyMany(batch));
      for (const d of done) if (d.created) created += 1;
    }
    return { imported: items.length, created };
  }

  async put(source: EntrySource, plate: string, fields: EntryFields): Promise<{ entry: HotlistEntry; created: boolean }> {
    const done = await this.commits.submit({ source, plate, fields });
    return { entry: done.entry!, created: done.created };
  }

  /** Removes an entry (durably); false when there was none. */
  async remove(source: EntrySource, plate: string): Promise<boolean> {
    return (await this.commits.submit({ source, plate, fields: null })).removed;
  }

  /** One change among many arriving at once (the cloud's messages): written together. */
  submit(change: HotlistChange): Promise<ChangeResult> {
    return this.commits.submit(change);
  }

  /** Entries a plate reading matches now, most severe first (one per entry). */
  match(reading: string): HotlistMatch[] {
    const readKey = normalisePlate(reading);
    if (readKey.length < 2) return [];
    const now = this.now();
    const out: HotlistMatch[] = [];
    const add = (key: string, exact: boolean) => {
      const all = this.keys.get(key) ?? 0;
      for (const source of SOURCES) {
        const bits = sourceBits(all, source);
        if (!(bits & PRESENT) || (!exact && !(bits & FUZZY))) continue;
        if ((this.expiry.get(rowKey(source, key)) ?? Infinity) <= now) continue;
        out.push({ source, key, read_key: readKey, level: ALERT_LEVELS[bits >> 2]!, exact });
      }
    };
    add(readKey, true);
    if (this.variants.size > 0) {
      const seen = new Set<string>([readKey]);
      for (const v of [readKey, ...deletions(readKey)]) {
        const found = this.variants.get(v);
        for (const key of found === undefined ? [] : typeof found === 'string' ? [found] : found) {
          if (seen.has(key) || !withinOneEdit(readKey, key)) continue;
          seen.add(key);
          add(key, false);
        }
      }
    }
    return out.sort((a, b) => ALERT_LEVELS.indexOf(b.level) - ALERT_LEVELS.indexOf(a.level));
  }

  /** Called after every change (the status page, metrics). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `fn` after every write before it has finished (failed or not). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Puts and removals in one synced batch; an entry unchanged in content is not written again. */
  private async applyMany(changes: HotlistChange[]): Promise<ChangeResult[]> {
    const at = new Date(this.now()).toISOString();
    const rows = changes.map((c) => rowKey(c.source, plateKey(c.plate)));
    const distinct = [...new Set(rows)];
    const stored = await this.entries.get(distinct);
    const current = new Map(distinct.map((k, i) => [k, stored[i]]));
    const next = new Map<string, HotlistEntry | undefined>(); // this batch's writes (a plate may come twice)
    const before = new Map<string, HotlistEntry | undefined>();
    const results = changes.map(({ source, plate, fields }, i): ChangeResult => {
      const k = rows[i]!;
      const was = next.has(k) ? next.get(k) : current.get(k);
      if (!before.has(k)) before.set(k, current.get(k));
      if (!fields) {
        if (was) next.set(k, undefined);
        return { created: false, removed: was !== undefined, changed: was !== undefined };
      }
      const entry: HotlistEntry = { plate: plate.trim(), key: k.slice(source.length + 1), ...fields, source, created_at: was?.created_at ?? at, updated_at: at };
      if (was && sameContent(was, entry)) return { entry: was, created: false, removed: false, changed: false };
      next.set(k, entry);
      return { entry, created: !was, removed: false, changed: true };
    });
    if (next.size === 0) return results;
    await this.entries.write([...next].map(([key, value]) => ({ key, value })), { sync: true });
    for (const [k, entry] of next) {
      const old = before.get(k);
      if (old) this.unindex(old);
      if (entry) this.index(entry);
    }
    for (const l of this.listeners) l();
    return results;
  }

  private expired(e: HotlistEntry, now: number): boolean {
    return e.expires_at !== null && Date.parse(e.expires_at) <= now;
  }

  private index(e: HotlistEntry): void {
    const all = this.keys.get(e.key) ?? 0;
    const hadFuzzy = anyFuzzy(all);
    this.keys.set(e.key, (all & ~(0xf << shift(e.source))) | flagsOf(e));
    if (e.expires_at !== null) this.expiry.set(rowKey(e.source, e.key), Date.parse(e.expires_at));
    this.count += 1;
    if (e.fuzzy && !hadFuzzy) {
      for (const v of new Set([e.key, ...deletions(e.key)])) {
        const list = this.variants.get(v);
        this.variants.set(v, list === undefined ? e.key : typeof list === 'string' ? [list, e.key] : [...list, e.key]);
      }
    }
  }

  private unindex(e: HotlistEntry): void {
    const all = (this.keys.get(e.key) ?? 0) & ~(0xf << shift(e.source));
    if (all === 0) this.keys.delete(e.key);
    else this.keys.set(e.key, all);
    this.expiry.delete(rowKey(e.source, e.key));
    this.count -= 1;
    if (e.fuzzy && !anyFuzzy(all)) {
      for (const v of new Set([e.key, ...deletions(e.key)])) {
        const list = this.variants.get(v);
        const rest = list === undefined || typeof list === 'string' ? [] : list.filter((k) => k !== e.key);
        if (rest.length === 0) this.variants.delete(v);
        else this.variants.set(v, rest.length === 1 ? rest[0]! : rest);
      }
    }
  }
}
