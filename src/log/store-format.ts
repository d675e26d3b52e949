// The store's record format. Format 2 (this version) stores each record as its one line
// (record-line.ts). Stores of lpr-edge-gateway 0.1 (format 1: records as objects with
// `raw` and `data`, hashed as canonical JSON) are refused, never misread: their records
// cannot become format-2 lines without new hashes, which would break the chain their
// published payloads and signed checkpoints pin. docs/OPERATIONS.md says the way out.

export const STORE_FORMAT = 2;

export class StoreFormatError extends Error {
  readonly code = 'LPRGW_STORE_FORMAT';

  constructor(readonly location: string, readonly found: unknown) {
    const version = found === undefined ? 'format 1 (lpr-edge-gateway 0.1)' : `format ${JSON.stringify(found)}`;
    super(`the store ${location} holds records in ${version}; this gateway reads format ${STORE_FORMAT}. ` +
      'Export it with the gateway that wrote it (lpr-gateway export --data-dir …), then move the data directory aside and start again');
  }
}

/** Whether opening failed on the store's format (waiting will not help). */
export function wrongFormat(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 'LPRGW_STORE_FORMAT') return true;
  }
  return false;
}
