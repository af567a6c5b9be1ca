import { describe, expect, it } from "vitest";
import { ALARM_AFTER_MS, deskAriaLabel, ellipsize, formatDuration, lightColor, lightPulses, modelFamily, screenGlow, WARN_AFTER_MS } from "./status";
import type { DeskAgent } from "./types";

const MIN = 60_000;

describe("status light", () => {
  it("is green while work is young, amber after 2 minutes and red after 5", () => {
    for (const state of ["thinking", "tool"] as const) {
      expect(lightColor(state, 0)).toBe("green");
      expect(lightColor(state, WARN_AFTER_MS - 1)).toBe("green");
      expect(lightColor(state, 2 * MIN)).toBe("amber");
      expect(lightColor(state, ALARM_AFTER_MS - 1)).toBe("amber");
      expect(lightColor(state, 5 * MIN)).toBe("red");
      expect(lightColor(state, 90 * MIN)).toBe("red");
    }
  });

  it("never escalates for resting states", () => {
    expect(lightColor("idle", 90 * MIN)).toBe("grey");
    expect(lightColor("waiting", 90 * MIN)).toBe("purple");
    expect(lightColor("error", 0)).toBe("red");
  });

  it("pulses unless asleep", () => {
    expect(lightPulses("idle")).toBe(false);
    for (const state of ["thinking", "tool", "waiting", "error"] as const) expect(lightPulses(state)).toBe(true);
  });

  it("maps states onto monitor glows", () => {
    expect(screenGlow("thinking")).toBe("working");
    expect(screenGlow("tool")).toBe("working");
    expect(screenGlow("waiting")).toBe("waiting");
    expect(screenGlow("error")).toBe("error");
    expect(screenGlow("idle")).toBe("idle");
  });
});

describe("labels", () => {
  it("formats durations in words", () => {
    expect(formatDuration(1_000)).toBe("1 second");
    expect(formatDuration(45_000)).toBe("45 seconds");
    expect(formatDuration(2 * MIN + 30_000)).toBe("2 minutes");
    expect(formatDuration(60 * MIN)).toBe("1 hour");
    expect(formatDuration(65 * MIN)).toBe("1 hour 5 minutes");
    expect(formatDuration(-5_000)).toBe("0 seconds");
  });

  it("describes a desk for screen readers", () => {
    const agent: DeskAgent = {
      id: "a1",
      name: "Alice",
      desk: 2,
      state: "thinking",
      stateSince: 0,
      topic: null,
      outfit: { hat: "none", shirt: "#000000", hair: "#000000", hairStyle: "short", skin: "#ffffff", beard: "none", accessory: "none" },
      backend: "claude",
      model: "opus",
      needsAttention: false,
      queued: 0,
    };
    expect(deskAriaLabel(agent, 2 * MIN)).toBe("Alice, desk 3, working for 2 minutes");
    expect(deskAriaLabel({ ...agent, state: "waiting", queued: 1, needsAttention: true }, 10_000)).toBe(
      "Alice, desk 3, waiting for you for 10 seconds, 1 queued message, needs attention",
    );
  });

  it("recognises model families", () => {
    expect(modelFamily("claude-opus-4-5")).toBe("opus");
    expect(modelFamily("Claude Sonnet 4")).toBe("sonnet");
    expect(modelFamily("claude-haiku-4-5")).toBe("haiku");
    expect(modelFamily("gpt-5-codex")).toBe("other");
  });

  it("ellipsizes long text without splitting characters", () => {
    expect(ellipsize("short", 10)).toBe("short");
    expect(ellipsize("  spaced   out  ", 20)).toBe("spaced out");
    const cut = ellipsize("Refactoring the websocket reconnect logic", 12);
    expect(Array.from(cut)).toHaveLength(12);
    expect(cut.endsWith("…")).toBe(true);
    expect(ellipsize("🙂🙂🙂🙂🙂🙂", 4)).toBe("🙂🙂🙂…");
  });
});
