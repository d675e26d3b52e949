// One run of an async job at a time: a call while one is under way joins it instead of
// starting another (the retained gateway status is published on a timer and on events;
// two at once could land out of order). idle() lets stop() wait for the one under way, so
// none lands after the uplink's "shutdown" status.
export class SingleFlight {
  private current: Promise<void> | undefined;

  constructor(private readonly job: () => Promise<void>) {}

  run(): Promise<void> {
    this.current ??= this.job().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  idle(): Promise<void> {
    return this.current ?? Promise.resolve();
  }
}
