// Who may see data (status page, read-back API, metrics, the status page's Socket.IO
// namespace): anyone when no viewer login is configured; otherwise HTTP Basic against a
// scrypt hash. A credential is checked with scrypt once and then trusted for a while
// (login-checks.ts): the Events view asks for 50 thumbnails at once, and each check held
// every ack 43 ms. The HTTP side (the 401 challenge, the middleware) is inbound's.
import { sameSecret } from './credentials.js';
import { LoginChecks } from './login-checks.js';
import { verifyPassword } from './password.js';

export interface ViewerLogin {
  user: string;
  passwordHash: string;
}

/** Whether an Authorization header may see data (always, when no login is configured). */
export type ViewerCheck = (authorization: string | undefined) => Promise<boolean>;

export function createViewerCheck(login: ViewerLogin | undefined): ViewerCheck {
  if (!login) return () => Promise.resolve(true);
  const checks = new LoginChecks(async (header) => {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const userOk = sameSecret(decoded.slice(0, colon), login.user);
    // The password is checked whatever the user, so a wrong user takes as long as a wrong password.
    const passwordOk = await verifyPassword(decoded.slice(colon + 1), login.passwordHash);
    return userOk && passwordOk;
  });
  return (header) => (header?.startsWith('Basic ') ? checks.check(header) : Promise.resolve(false));
}
