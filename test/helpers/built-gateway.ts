// The gateway as it ships: the bundle `npm run build` writes to dist/ (npm test builds it
// before any test runs). A dist/ older than src/ fails at once with the reason, so a test
// never passes or fails against code that is not the code in the tree.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestUnder(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const n = e.isDirectory() ? newestUnder(p) : { path: p, mtimeMs: statSync(p).mtimeMs };
    if (n.mtimeMs > newest.mtimeMs) newest = n;
  }
  return newest;
}

let checked: string | undefined;

/** Path of dist/main.js, after checking it was built from the current src/. */
export function builtGateway(): string {
  if (checked) return checked;
  const main = join(ROOT, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does it first)');
  const src = newestUnder(join(ROOT, 'src'));
  if (src.mtimeMs > statSync(main).mtimeMs) throw new Error(`dist/ is older than ${src.path}: run \`npm run build\``);
  return (checked = main);
}
