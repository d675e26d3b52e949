// The systemd unit as systemd reads it (systemd-analyze verify), and the hardening the
// appliance promises.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const unit = fileURLToPath(new URL('../../systemd/lpr-gateway.service', import.meta.url));

test('systemd-analyze verify accepts the unit', () => {
  const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
  assert.equal(r.error, undefined, 'systemd-analyze must be installed (.ci/run installs systemd)');
  // Complaints about the not-yet-created user or /opt path are about this machine, not the unit.
  const problems = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() && !/lpr-gateway.*(user|group)|\/opt\/lpr-gateway/i.test(l));
  assert.deepEqual(problems, []);
});

test('the unit restarts always, keeps data in StateDirectory and is hardened', () => {
  const text = readFileSync(unit, 'utf8');
  for (const line of ['Restart=always', 'StateDirectory=lpr-gateway', 'User=lpr-gateway', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'Environment=LPRGW_DATA_DIR=/var/lib/lpr-gateway', 'EnvironmentFile=-/etc/lpr-gateway/gateway.env']) {
    assert.ok(text.split('\n').includes(line), `missing ${line}`);
  }
  assert.match(text, /^ExecStart=\/usr\/bin\/node (--[\w=-]+ )*\/opt\/lpr-gateway\/dist\/main\.js start$/m);
});

test('the unit runs node with the flags npm start uses (the ones the benchmarks measure)', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const flags = (cmd: string) => cmd.split(' ').filter((w) => w.startsWith('--'));
  const execStart = /^ExecStart=(.*)$/m.exec(readFileSync(unit, 'utf8'))?.[1] ?? '';
  assert.ok(flags(pkg.scripts.start).length > 0, 'npm start sets the memory flags');
  assert.deepEqual(flags(execStart), flags(pkg.scripts.start));
});
