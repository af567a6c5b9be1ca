import { describe, expect, it } from "vitest";
import { FIRST_RETRY_MS, MAX_RETRY_MS, retryDelay } from "./backoff";

describe("retryDelay", () => {
  it("starts quickly, doubles, and never waits much longer than the cap", () => {
    expect(retryDelay(0, 0.5)).toBe(FIRST_RETRY_MS);
    expect(retryDelay(1, 0.5)).toBe(FIRST_RETRY_MS * 2);
    expect(retryDelay(3, 0.5)).toBe(FIRST_RETRY_MS * 8);
    expect(retryDelay(50, 0.5)).toBe(MAX_RETRY_MS);
    expect(retryDelay(50, 0.999)).toBeLessThanOrEqual(MAX_RETRY_MS * 1.25);
  });

  it("spreads tabs apart with jitter", () => {
    expect(retryDelay(2, 0)).toBeLessThan(retryDelay(2, 0.99));
  });
});
