// A throw-away CA and a server certificate for 127.0.0.1 (openssl), for TLS tests.
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCerts {
  ca: string;
  cert: string;
  key: string;
}

export function makeCerts(dir: string, name = 'test'): TestCerts {
  const p = (f: string) => join(dir, `${name}-${f}`);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name} test CA`, '-keyout', p('ca.key'), '-out', p('ca.pem'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', p('server.key'), '-out', p('server.csr'));
  const ext = p('ext.cnf');
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > '${ext}'`]);
  ssl('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', p('server.pem'));
  // Mosquitto drops root privileges before it reads them.
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  return { ca: p('ca.pem'), cert: p('server.pem'), key: p('server.key') };
}
