// What a central server said to one message. Delivered: a 2xx, a Socket.IO ack, or a named
// reply with success. Refused: it answered but will not take the message as it is (an
// `error` event, success: false, a 4xx other than 408/429): `permanent` when sending it
// again cannot help. Anything else — no answer, a 5xx, a dropped connection — is an error
// thrown (ForwardError) and the message is sent again after a backoff.

export type CentralAnswer = { ok: true } | { ok: false; message: string; permanent: boolean };

/** A failure to deliver that a later attempt may overcome. `connect`: no connection at all. */
export class ForwardError extends Error {
  constructor(message: string, readonly connect = false) {
    super(message);
  }
}

/** The message of a refusal body ({message} or {error: {message}}), for the parked list. */
export function refusalMessage(body: unknown): string {
  const b = body as { message?: unknown; error?: { message?: unknown; code?: unknown } } | undefined;
  const text = b?.message ?? b?.error?.message ?? b?.error?.code;
  return typeof text === 'string' && text ? text : JSON.stringify(body ?? null).slice(0, 200);
}
