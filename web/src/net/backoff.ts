/** When to try the connection again: exponential, capped, jittered so many tabs do not stampede. */

export const FIRST_RETRY_MS = 500;
export const MAX_RETRY_MS = 15_000;

/** The wait before attempt number `attempt` (0 for the first retry); `random` is in [0, 1). */
export function retryDelay(attempt: number, random: number): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempt, 20)));
  return Math.round(base * (0.75 + 0.5 * random));
}

/** Unreachable for this long counts as offline rather than "reconnecting". */
export const OFFLINE_AFTER_MS = 20_000;
