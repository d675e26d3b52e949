// The folder tree shows the data flow, and imports follow it: each folder of src/ may import
// only the folders listed for it here (docs/ARCHITECTURE.md draws the picture and lists the
// same table; the last test keeps the two equal). A new import that points up the flow or
// sideways, or closes a cycle, fails this test; if the design changed, change this table
// and that page in the same commit.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/built-gateway.js';

const SRC = join(ROOT, 'src');
/** Top-level files that everything may use (leaves: they import nothing of ours but each other). */
const LEAVES = ['errors', 'version', 'package-root', 'listen-on'];

/** Folder (or top-level file) → what it may import, besides itself and the leaves. */
const ALLOWED: Record<string, string[]> = {
  log: [],
  kinds: ['log'],
  plates: ['log'],
  auth: [],
  config: [],
  ingest: ['log', 'kinds', 'auth'],
  outbound: ['log', 'kinds', 'auth', 'config'],
  evidence: ['log'],
  hotlist: ['log', 'kinds', 'plates', 'outbound'],
  search: ['log', 'plates', 'outbound'],
  inbound: ['log', 'kinds', 'auth', 'config', 'ingest', 'evidence', 'hotlist', 'search', 'observability'],
  observability: ['log', 'kinds', 'ingest', 'outbound', 'hotlist'],
  jobs: ['log', 'kinds', 'config', 'ingest', 'outbound', 'evidence'],
  'gateway-lifecycle': ['log', 'inbound', 'observability'],
  'create-logger': ['observability'],
  gateway: ['log', 'kinds', 'auth', 'config', 'ingest', 'outbound', 'evidence', 'hotlist', 'search', 'inbound', 'observability', 'jobs', 'gateway-lifecycle'],
  simulator: [],
  cli: ['config', 'create-logger', 'evidence', 'gateway', 'log', 'outbound', 'simulator', 'auth'],
  main: ['cli'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** "log" for src/log/x.ts, "gateway" for src/gateway.ts. */
function unitOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.[cm]?[jt]s$/, '');
}

test('imports point down the data flow only: no folder imports one above it or beside it', () => {
  const wrong: string[] = [];
  for (const file of files(SRC)) {
    const from = unitOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
      const to = unitOf(normalize(join(dirname(file), m[1]!)));
      if (to === from || LEAVES.includes(to)) continue;
      const allowed = ALLOWED[from];
      assert.ok(allowed, `src/${from} has no entry in the table (add it, and to docs/ARCHITECTURE.md)`);
      if (!allowed.includes(to)) wrong.push(`${relative(ROOT, file)} imports ${m[1]} (${from} → ${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the allowed imports themselves have no cycle', () => {
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (unit: string, path: string[]): void => {
    if (done.has(unit)) return;
    assert.ok(!visiting.has(unit), `cycle: ${[...path, unit].join(' → ')}`);
    visiting.add(unit);
    for (const next of ALLOWED[unit] ?? []) visit(next, [...path, unit]);
    visiting.delete(unit);
    done.add(unit);
  };
  for (const unit of Object.keys(ALLOWED)) visit(unit, []);
});

test('docs/ARCHITECTURE.md lists exactly these allowed imports', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const rows: Record<string, string[]> = {};
  for (const m of doc.matchAll(/^\| `([a-z-]+)` \| (.+) \|$/gm)) rows[m[1]!] = m[2] === '—' ? [] : m[2]!.split(', ').map((u) => u.replace(/`/g, ''));
  assert.deepEqual(rows, ALLOWED);
});
