// Tests wait on observable state, never on a fixed sleep followed by an assertion; and a
// test that sleeps at random does so from a seed it reports, so a failure can be replayed.
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` until it returns something truthy; fails after `timeoutMs` naming `what`. */
export async function waitUntil<T>(check: () => T | Promise<T>, timeoutMs: number, what: string, everyMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** mulberry32: a small seeded generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded random source for a test: TEST_SEED replays a run. The seed is reported as a
 * test diagnostic, which the runner prints with the test's result.
 */
export function seededRandom(t: { diagnostic(message: string): void }, envName = 'TEST_SEED'): { seed: number; random: () => number; between: (lo: number, hi: number) => number } {
  const seed = Number(process.env[envName] ?? Math.floor(Math.random() * 1e9));
  t.diagnostic(`seed ${seed} (${envName}=${seed} replays this run)`);
  const random = rng(seed);
  return { seed, random, between: (lo, hi) => lo + random() * (hi - lo) };
}
