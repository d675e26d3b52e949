// Two starts at once must not break each other: `npm start` builds first, and a build used
// to delete dist/ and write it anew, so a second start or a CLI call while one started died
// with ERR_MODULE_NOT_FOUND for a chunk just deleted. Here, in a copy of the package: a
// gateway runs from dist/, a source changes, two builds run at once while CLI calls keep
// loading the bundle; every call and build succeeds, the running gateway still loads its
// lazy chunks, and a build of unchanged sources changes nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { ROOT } from '../helpers/built-gateway.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((ok) => child.on('close', (code) => {
    clearTimeout(timer);
    ok({ code, out, err });
  }));
}

test('builds while the gateway runs and CLI calls load the bundle: nothing sees a half-written dist/', async () => {
  const tmp = makeTempDir();
  const pkg = join(tmp.dir, 'pkg');
  for (const p of ['src', 'config', 'scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json']) cpSync(join(ROOT, p), join(pkg, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  const TOKEN = 'build-test-token';
  const env = { LPRGW_DATA_DIR: join(tmp.dir, 'data'), LPRGW_HTTP_HOST: '127.0.0.1', LPRGW_HTTP_PORT: '0', LPRGW_MQTT_PORT: '0', LPRGW_LOG_PRETTY: 'false', LPRGW_ADMIN_TOKEN: TOKEN };
  let gateway: ReturnType<typeof spawn> | undefined;
  try {
    assert.equal((await run(pkg, ['scripts/build.mjs'])).code, 0);
    gateway = spawn(process.execPath, ['dist/main.js', 'start'], { cwd: pkg, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('gateway did not start')), 20_000);
      createInterface({ input: gateway!.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'gateway listening') {
          clearTimeout(timer);
          ok(`http://127.0.0.1:${entry.port}`);
        }
      });
      gateway!.once('exit', (code) => fail(new Error(`gateway exited ${code}`)));
    });

    appendFileSync(join(pkg, 'src', 'version.ts'), '\n// changed by the build test\n');
    const before = readdirSync(join(pkg, 'dist')).filter((n) => n.startsWith('build-'));
    const builds = Promise.all([run(pkg, ['scripts/build.mjs']), run(pkg, ['scripts/build.mjs'])]);
    const calls: { code: number | null; err: string }[] = [];
    let building = true;
    void builds.then(() => (building = false));
    while (building || calls.length < 5) calls.push(await run(pkg, ['dist/main.js', 'config', 'check'], env));
    for (const b of await builds) assert.equal(b.code, 0, b.err);
    for (const c of calls) assert.equal(c.code, 0, `a CLI call during the builds failed: ${c.err}`);
    const after = readdirSync(join(pkg, 'dist')).filter((n) => n.startsWith('build-'));
    assert.equal(after.length, before.length + 1, `one new build folder: ${after}`);

    // The running gateway still loads what it imports lazily (the CSV parser) from its build.
    const imported = await fetch(`${url}/api/admin/hotlist/import`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' }, body: 'plate,reason\nกข1234,stolen\n',
    });
    assert.equal(imported.status, 200, await imported.text());
    const status = await run(pkg, ['dist/main.js', 'status', '--url', url], env);
    assert.equal(status.code, 0, status.err);

    const stub = readFileSync(join(pkg, 'dist', 'main.js'), 'utf8');
    assert.equal((await run(pkg, ['scripts/build.mjs'])).code, 0);
    assert.equal(readFileSync(join(pkg, 'dist', 'main.js'), 'utf8'), stub, 'unchanged sources: the same build');
    assert.deepEqual(readdirSync(join(pkg, 'dist')).filter((n) => n.startsWith('build-')).sort(), after.sort());
  } finally {
    gateway?.kill('SIGKILL');
    tmp.remove();
  }
});
