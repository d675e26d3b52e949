// The installer and the offline bundle, as an operator uses them, staged into a scratch
// root (--root DIR --no-systemd): Node version check, install, upgrade in place keeping
// data and settings, the command on the PATH, uninstall and purge.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { makeTempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the installer refuses Node.js older than 20 and says how to get 20 on Debian', () => {
  const tmp = makeTempDir();
  try {
    const fake = join(tmp.dir, 'node');
    writeFileSync(fake, '#!/bin/sh\ncase "$1" in --version) echo v18.19.0 ;; *) echo 18 ;; esac\n');
    chmodSync(fake, 0o755);
    const r = run('bash', ['scripts/install.sh', '--root', join(tmp.dir, 'root'), '--no-systemd'], { PATH: `${tmp.dir}:${process.env.PATH}` });
    assert.equal(r.code, 1);
    assert.match(r.err, /needs Node\.js 20 or newer \(found: v18\.19\.0\)/);
    assert.match(r.err, /deb\.nodesource\.com\/setup_20\.x/);
    assert.equal(existsSync(join(tmp.dir, 'root', 'opt')), false, 'nothing installed');
  } finally {
    tmp.remove();
  }
});

test('npm run bundle → offline install, upgrade in place keeping data and settings, uninstall, purge', () => {
  const tmp = makeTempDir();
  try {
    const bundle = run('bash', ['scripts/bundle.sh', join(tmp.dir, 'out')]);
    assert.equal(bundle.code, 0, bundle.err);
    const tarball = bundle.out.trim().split('\n').at(-1)!;
    assert.match(tarball, new RegExp(`lpr-gateway-${VERSION}-${process.platform}-${process.arch}\\.tar\\.gz$`));
    mkdirSync(join(tmp.dir, 'box'));
    assert.equal(run('tar', ['-xzf', tarball, '-C', join(tmp.dir, 'box')]).code, 0);
    const installer = join(tmp.dir, 'box', `lpr-gateway-${VERSION}`, 'scripts', 'install.sh');
    const root = join(tmp.dir, 'root');
    const prefix = join(root, 'opt', 'lpr-gateway');

    const first = run('bash', [installer, '--root', root, '--no-systemd']);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, new RegExp(`lpr-gateway ${VERSION} installed in /opt/lpr-gateway`));
    assert.doesNotMatch(first.out, /building from the checkout/, 'a bundle installs without npm');
    assert.equal(readlinkSync(join(root, 'usr', 'local', 'bin', 'lpr-gateway')), '/opt/lpr-gateway/bin/lpr-gateway.js');
    const version = run(process.execPath, [join(prefix, 'bin', 'lpr-gateway.js'), '--version']);
    assert.equal(version.out.trim(), VERSION, version.err);
    const check = run(process.execPath, [join(prefix, 'dist', 'main.js'), 'config', 'check'], { LPRGW_DATA_DIR: join(tmp.dir, 'data') });
    assert.equal(check.code, 0, `the installed program runs with its production dependencies: ${check.err}`);
    assert.match(readFileSync(join(root, 'etc', 'systemd', 'system', 'lpr-gateway.service'), 'utf8'), new RegExp(`^ExecStart=${process.execPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} (--[\\w=-]+ )*/opt/lpr-gateway/dist/main\\.js start$`, 'm'));

    // The operator edits settings and the gateway has data; an upgrade keeps both.
    const envFile = join(root, 'etc', 'lpr-gateway', 'gateway.env');
    appendFileSync(envFile, 'LPRGW_GATEWAY_ID=site-7\n');
    mkdirSync(join(root, 'var', 'lib', 'lpr-gateway'), { recursive: true });
    writeFileSync(join(root, 'var', 'lib', 'lpr-gateway', 'marker'), 'data');
    const again = run('bash', [installer, '--root', root, '--no-systemd']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, new RegExp(`lpr-gateway upgraded: ${VERSION} → ${VERSION}`));
    assert.match(readFileSync(envFile, 'utf8'), /LPRGW_GATEWAY_ID=site-7/);
    assert.ok(existsSync(join(root, 'var', 'lib', 'lpr-gateway', 'marker')));

    const gone = run('bash', [installer, '--root', root, '--no-systemd', '--uninstall']);
    assert.equal(gone.code, 0, gone.err);
    assert.match(gone.out, /kept data in .*\/var\/lib\/lpr-gateway and settings in .*\/etc\/lpr-gateway/);
    assert.equal(existsSync(prefix), false);
    assert.equal(existsSync(join(root, 'usr', 'local', 'bin', 'lpr-gateway')), false);
    assert.ok(existsSync(envFile) && existsSync(join(root, 'var', 'lib', 'lpr-gateway', 'marker')));

    const purged = run('bash', [installer, '--root', root, '--no-systemd', '--uninstall', '--purge']);
    assert.equal(purged.code, 0, purged.err);
    assert.equal(existsSync(envFile) || existsSync(join(root, 'var', 'lib', 'lpr-gateway')), false);
  } finally {
    tmp.remove();
  }
});
