// The order the gateway starts and stops in, apart from what its parts are (gateway.ts
// wires those). Start: open the store — or, when it cannot open (a full disk), listen anyway
// and say why while the log keeps trying — then the parts that follow the log, then ready.
// Stop: no new connections or messages, the parts (cursors saved), the store last.
import type { Logger } from 'pino';
import type { Listeners } from './inbound/listeners.js';
import type { Store } from './log/open-store.js';
import { storeInUse } from './log/store-failure.js';
import { wrongFormat } from './log/store-format.js';
import { storeProblemOf } from './observability/gateway-status.js';

export interface LifecycleDeps {
  logger: Logger;
  store: Store;
  listeners: Listeners;
  /** Everything that reads or follows the log, once it is open. */
  startParts(): Promise<void>;
  /** The parts started: the gateway is ready. */
  ready(): void;
  /** First thing on stop, whether or not the parts ever started. */
  stopping(): void;
  stopParts(): Promise<void>;
  /** Fields for the "gateway listening" log line. */
  listening(): Record<string, unknown>;
  /** Called when starting fails after the store opened late (the CLI exits for systemd). */
  onFatal?: ((err: unknown) => void) | undefined;
}

export function gatewayLifecycle(d: LifecycleDeps): { start(): Promise<void>; stop(): Promise<void> } {
  const { logger, store, listeners } = d;
  const log = store.log;
  let startingParts: Promise<void> | undefined;
  let stopWaitingForStore: (() => void) | undefined;

  /** Opens the store, or leaves it trying to open: false when it could not open yet. */
  async function openStore(): Promise<boolean> {
    try {
      await store.open({ retry: true });
      return true;
    } catch (err) {
      if (storeInUse(err) || wrongFormat(err)) {
        await store.close();
        throw err; // another gateway runs on this data dir, or it holds another format: nothing to wait for
      }
      const problem = storeProblemOf(log.health(), store.admission.usage());
      logger.error({ err, store_error: problem }, `the store cannot open (${problem?.message ?? 'unknown'}): serving status and refusing camera messages with a reason until it can; retrying`);
      return false;
    }
  }

  const startParts = () => (startingParts ??= d.startParts());
  const ready = () => {
    d.ready();
    if (log.health().state === 'open') logger.info({ lastSeq: log.lastSeq() }, 'gateway ready');
  };

  return {
    async start() {
      const opened = await openStore();
      if (opened) await startParts();
      await listeners.listen();
      const addr = listeners.httpAddress();
      logger.info({ host: addr.address, port: addr.port, dataDir: store.dataDir, lastSeq: log.lastSeq(), store: log.health().state, ...d.listening() }, 'gateway listening');
      if (opened) return ready();
      // The log keeps trying to open (1, 2, 5, then every 10 s); the rest starts once it has.
      const off = log.onHealth((h) => {
        if (h.state !== 'open' || startingParts) return;
        off();
        startParts().then(ready, (err: unknown) => {
          logger.fatal({ err }, 'gateway failed to start after its store opened');
          d.onFatal?.(err); // the CLI exits so systemd restarts it; embedded, the log line is the word
        });
      });
      stopWaitingForStore = off;
    },
    async stop() {
      d.stopping();
      stopWaitingForStore?.();
      // No new connections or messages; requests already inside finish their appends.
      const closed = listeners.stopAccepting();
      // Parts that never started (the store never opened) have nothing to stop.
      if (startingParts && (await startingParts.then(() => true, () => false))) await d.stopParts();
      logger.debug('closing log');
      await store.close();
      listeners.closeAll();
      await closed;
      logger.info('gateway stopped');
    },
  };
}
