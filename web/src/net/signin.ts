/**
 * Waiting for a sign-in. A signed-out page does not reconnect (each refused socket counts as a
 * failed sign-in at the office); it asks `/api/me` now and then instead, less and less often,
 * and at once when the window regains focus (at most every few seconds) or the person asks.
 * When the answer turns to "signed in" (a sign-in in another tab shares the cookie), it hands
 * back to the connection.
 */

import type { SignInCheck } from "./auth";

export const SIGNED_OUT_FIRST_CHECK_MS = 15_000;
export const SIGNED_OUT_MAX_CHECK_MS = 120_000;
/** Focus brings a check forward, but not more often than this. */
export const FOCUS_CHECK_GAP_MS = 5_000;

export class SignInWatch {
  private active = false;
  private asking = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastAsked = 0;

  constructor(
    private readonly check: () => Promise<SignInCheck>,
    private readonly onSignedIn: () => void,
  ) {}

  get waiting(): boolean {
    return this.active;
  }

  start(): void {
    this.active = true;
    this.attempt = 0;
    this.schedule();
  }

  stop(): void {
    this.active = false;
    this.clear();
  }

  /** The window regained focus. */
  soon = (): void => {
    if (this.active && Date.now() - this.lastAsked >= FOCUS_CHECK_GAP_MS) void this.ask();
  };

  /** The person asked to check again. */
  now = (): void => {
    if (this.active) void this.ask();
  };

  private schedule(): void {
    this.clear();
    const delay = Math.min(SIGNED_OUT_MAX_CHECK_MS, SIGNED_OUT_FIRST_CHECK_MS * 2 ** Math.min(this.attempt, 10));
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.ask();
    }, delay);
  }

  private async ask(): Promise<void> {
    if (this.asking || !this.active) return;
    this.asking = true;
    this.lastAsked = Date.now();
    let answer: SignInCheck;
    try {
      answer = await this.check();
    } finally {
      this.asking = false;
    }
    if (!this.active) return;
    if (answer === "signed_in") {
      this.stop();
      this.onSignedIn();
    } else {
      this.schedule();
    }
  }

  private clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
