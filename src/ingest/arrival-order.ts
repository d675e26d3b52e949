// Per-connection order: messages from one camera connection are appended in the order
// they arrived, whatever their size. A small message must not overtake a big one whose
// images are still being written, yet both may share one group-commit batch: a turn ends
// when its append is *submitted* (submission order is seq order), not when it is durable.

export interface Turn {
  /** Resolves when every earlier message of the connection has been submitted (or failed). */
  ready: Promise<void>;
  /** Ends this turn; call once the append is submitted, or on any early exit. Idempotent. */
  done: () => void;
}

export class ArrivalOrder {
  private tail: Promise<void> = Promise.resolve();

  /** Take a turn at arrival, before anything asynchronous. */
  take(): Turn {
    const ready = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => {
      done = resolve;
    });
    return { ready, done };
  }
}
