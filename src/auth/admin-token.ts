// The admin token (config admin.token / LPRGW_ADMIN_TOKEN): the export, the parked list and
// replay, the hotlist. With none configured the admin endpoints do not exist (404), so an
// appliance left with defaults offers no admin surface to guess at.
import type { IncomingHttpHeaders } from 'node:http';
import { gatewayError, type GatewayError } from '../errors.js';
import { credentialFrom, sameSecret } from './credentials.js';

/** Why a request may not use the admin endpoints, or undefined when it may. */
export function adminRefusal(configured: string, headers: IncomingHttpHeaders): GatewayError | undefined {
  if (!configured) return gatewayError('ADMIN_OFF');
  const given = credentialFrom(headers);
  if (!given) return gatewayError('ADMIN_TOKEN_MISSING');
  if (!sameSecret(given, configured)) return gatewayError('ADMIN_TOKEN_WRONG');
  return undefined;
}
