import { describe, expect, it } from "vitest";
import { clockHands, moonLitPath, moonPhase } from "./sky";

describe("clock", () => {
  it("points the hands at local time", () => {
    expect(clockHands(new Date(2026, 0, 5, 3, 0).getTime())).toEqual({ hour: 90, minute: 0 });
    const half = clockHands(new Date(2026, 0, 5, 22, 30).getTime());
    expect(half.hour).toBeCloseTo(315);
    expect(half.minute).toBeCloseTo(180);
  });
});

describe("moon", () => {
  it("knows new and full moons", () => {
    const newMoon = moonPhase(Date.UTC(2024, 0, 11, 11, 57));
    expect(Math.min(newMoon, 1 - newMoon)).toBeLessThan(0.02);
    expect(moonPhase(Date.UTC(2024, 0, 25, 17, 54))).toBeCloseTo(0.5, 1);
  });

  it("draws nothing at new moon and a lit shape otherwise", () => {
    expect(moonLitPath(0, 10)).toBe("");
    expect(moonLitPath(0.999, 10)).toBe("");
    for (const p of [0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9]) expect(moonLitPath(p, 10)).toMatch(/^M0 -10 A10 10 /);
  });

  it("lights the right limb while waxing and the left while waning", () => {
    expect(moonLitPath(0.2, 10)).toContain("A10 10 0 0 1 0 10");
    expect(moonLitPath(0.8, 10)).toContain("A10 10 0 0 0 0 10");
  });
});
