// Which camera ids may send, and with which credential (config camera.tokens, knownOnly).
// Deployed cameras send no credentials, so a camera without a configured token is let in
// unless knownOnly is set; a camera with one must present it.
import { gatewayError } from '../errors.js';
import { sameSecret as same } from './credentials.js';

export interface CameraAccessOptions {
  tokens: Record<string, string>;
  knownOnly: boolean;
  known: string[];
}

export interface CameraAccess {
  /** Throws UNAUTHORIZED (no credential) or FORBIDDEN (wrong one, or unknown camera). */
  check(cameraId: string, credential: string | undefined): void;
  /** Whether a credential presented at connect time belongs to some camera. */
  isKnownCredential(credential: string): boolean;
}


export function createCameraAccess(o: CameraAccessOptions): CameraAccess {
  const tokens = new Map(Object.entries(o.tokens));
  const known = new Set([...o.known, ...tokens.keys()]);
  return {
    check(cameraId, credential) {
      const token = tokens.get(cameraId);
      if (token !== undefined) {
        if (!credential) throw gatewayError('CAMERA_TOKEN_MISSING', cameraId);
        if (!same(credential, token)) throw gatewayError('CAMERA_TOKEN_WRONG', cameraId);
        return;
      }
      if (o.knownOnly && !known.has(cameraId)) throw gatewayError('CAMERA_UNKNOWN', cameraId);
    },
    isKnownCredential(credential) {
      for (const t of tokens.values()) if (same(credential, t)) return true;
      return false;
    },
  };
}
