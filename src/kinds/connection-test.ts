// The contract's connection test: a message with `type: "test"`, answered like a record and
// never stored. Not a record kind (nothing of it reaches the log), so it is not in the
// table; everything that tells it apart asks isConnectionTest().
import type { RecordKind } from '../log/record.js';

export const CONNECTION_TEST = 'test';

/** What a camera message is: a record kind, or the connection test. */
export type MessageKind = RecordKind | typeof CONNECTION_TEST;

export const isConnectionTest = (kind: MessageKind): kind is typeof CONNECTION_TEST => kind === CONNECTION_TEST;

/** The contract's answer to a connection test. */
export const connectionTestReply = (): Record<string, unknown> => ({ success: true, message: 'Test data received', timestamp: new Date().toISOString() });
