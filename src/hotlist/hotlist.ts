// The hotlist kept on the gateway: durable in the log's "hotlist" table, indexed in memory
// so every detection is matched in microseconds, offline. Keys are `<source>/<plate key>`:
// an operator's entry and the cloud's for the same plate live side by side, and a cloud
// removal never deletes what an operator added here.
import { GroupCommit } from '../log/group-commit.js';
import type { RecordLog } from '../log/record-log.js';
import { deletions, normalisePlate, withinOneEdit } from '../plates/plate-text.js';
import { ALERT_LEVELS, plateKey, type EntryFields, type EntrySource, type HotlistEntry } from './hotlist-entry.js';

export interface HotlistMatch {
  entry: HotlistEntry;
  /** The reading's normalised text, and whether it matched exactly or one character off. */
  read_key: string;
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

const sameContent = (a: HotlistEntry, b: HotlistEntry) =>
  a.plate === b.plate && a.reason === b.reason && a.level === b.level && a.expires_at === b.expires_at && a.fuzzy === b.fuzzy && a.note === b.note;

const rowKey = (source: EntrySource, key: string) => `${source}/${key}`;
const severity = (e: HotlistEntry) => ALERT_LEVELS.indexOf(e.level);

export class Hotlist {
  private readonly entries = new Map<string, HotlistEntry>();
  /** plate key → entries (any), and for fuzzy entries each one-deletion variant → entries. */
  private readonly exact = new Map<string, HotlistEntry[]>();
  private readonly variants = new Map<string, HotlistEntry[]>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly log: RecordLog, private readonly now: () => number = Date.now) {}

  async load(): Promise<void> {
    this.entries.clear();
    for (const [k, v] of await this.log.tableRead('hotlist', {})) this.entries.set(k, v as HotlistEntry);
    this.reindex();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every entry, expired ones marked (they stay until removed, but no longer match). */
  list(): (HotlistEntry & { expired: boolean })[] {
    const now = this.now();
    return [...this.entries.values()].map((e) => ({ ...e, expired: this.expired(e, now) }));
  }

  get(source: EntrySource, plate: string): HotlistEntry | undefined {
    return this.entries.get(rowKey(source, plateKey(plate)));
  }

  /** Adds or replaces entries in one durable (synced) write; `created` for each that was new. */
  async putMany(source: EntrySource, items: { plate: string; fields: EntryFields }[]): Promise<{ entry: HotlistEntry; created: boolean }[]> {
    const done = await this.applyMany(items.map(({ plate, fields }) => ({ source, plate, fields })));
    return done.map((d) => ({ entry: d.entry!, created: d.created }));
  }

  async put(source: EntrySource, plate: string, fields: EntryFields): Promise<{ entry: HotlistEntry; created: boolean }> {
    return (await this.putMany(source, [{ plate, fields }]))[0]!;
  }

  /** Removes an entry (durably); false when there was none. */
  async remove(source: EntrySource, plate: string): Promise<boolean> {
    return (await this.applyMany([{ source, plate, fields: null }]))[0]!.removed;
  }

  /** One change among many arriving at once (the cloud's messages): written together. */
  submit(change: HotlistChange): Promise<ChangeResult> {
    return this.commits.submit(change);
  }

  private readonly commits = new GroupCommit<HotlistChange, ChangeResult>((changes) => this.applyMany(changes), 1000);

  /** Puts and removals in one synced batch; an entry unchanged in content is not written again. */
  private async applyMany(changes: HotlistChange[]): Promise<ChangeResult[]> {
    const at = new Date(this.now()).toISOString();
    const next = new Map<string, HotlistEntry | undefined>(); // this batch's view, for repeats of one plate
    const current = (k: string) => (next.has(k) ? next.get(k) : this.entries.get(k));
    const results = changes.map(({ source, plate, fields }): ChangeResult => {
      const k = rowKey(source, plateKey(plate));
      const before = current(k);
      if (!fields) {
        if (before) next.set(k, undefined);
        return { created: false, removed: before !== undefined, changed: before !== undefined };
      }
      const entry: HotlistEntry = { plate: plate.trim(), key: k.slice(source.length + 1), ...fields, source, created_at: before?.created_at ?? at, updated_at: at };
      if (before && sameContent(before, entry)) return { entry: before, created: false, removed: false, changed: false };
      next.set(k, entry);
      return { entry, created: !before, removed: false, changed: true };
    });
    if (next.size === 0) return results;
    await this.log.tableWrite('hotlist', [...next].map(([key, value]) => ({ key, value })), { sync: true });
    for (const [k, entry] of next) {
      this.unindex(this.entries.get(k));
      if (entry) {
        this.entries.set(k, entry);
        this.index(entry);
      } else this.entries.delete(k);
    }
    this.changed();
    return results;
  }

  /** Entries a plate reading matches now, most severe first (one per entry). */
  match(reading: string): HotlistMatch[] {
    const key = normalisePlate(reading);
    if (key.length < 2) return [];
    const now = this.now();
    const found = new Map<HotlistEntry, boolean>();
    for (const e of this.exact.get(key) ?? []) found.set(e, true);
    if (this.variants.size > 0) {
      for (const v of [key, ...deletions(key)]) {
        for (const e of this.variants.get(v) ?? []) if (!found.has(e) && withinOneEdit(key, e.key)) found.set(e, false);
      }
    }
    return [...found]
      .filter(([e]) => !this.expired(e, now))
      .map(([entry, exact]) => ({ entry, read_key: key, exact }))
      .sort((a, b) => severity(b.entry) - severity(a.entry));
  }

  /** Called after every change (the status page, metrics). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private expired(e: HotlistEntry, now: number): boolean {
    return e.expires_at !== null && Date.parse(e.expires_at) <= now;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private reindex(): void {
    this.exact.clear();
    this.variants.clear();
    for (const e of this.entries.values()) this.index(e);
  }

  // Kept up to date entry by entry: the cloud may push 100,000 entries one message each.
  private index(e: HotlistEntry): void {
    const add = (m: Map<string, HotlistEntry[]>, k: string) => {
      const list = m.get(k);
      if (list) list.push(e);
      else m.set(k, [e]);
    };
    add(this.exact, e.key);
    if (e.fuzzy) for (const v of [e.key, ...deletions(e.key)]) add(this.variants, v);
  }

  private unindex(e: HotlistEntry | undefined): void {
    if (!e) return;
    const drop = (m: Map<string, HotlistEntry[]>, k: string) => {
      const list = m.get(k)?.filter((x) => x !== e);
      if (list?.length) m.set(k, list);
      else m.delete(k);
    };
    drop(this.exact, e.key);
    if (e.fuzzy) for (const v of [e.key, ...deletions(e.key)]) drop(this.variants, v);
  }
}
