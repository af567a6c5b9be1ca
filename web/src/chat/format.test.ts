import { describe, expect, it } from "vitest";
import type { LogEntry } from "../protocol";
import { queued, status, text, turnEnd, userTurn } from "../store/testdata";
import { activityWord, formatDuration, formatElapsed, formatUsage, isBusy, timerTone, toolSummary, workingSince } from "./format";

describe("the working timer", () => {
  it("turns amber at two minutes and red at five", () => {
    expect(timerTone(0)).toBe("calm");
    expect(timerTone(119_999)).toBe("calm");
    expect(timerTone(120_000)).toBe("amber");
    expect(timerTone(299_999)).toBe("amber");
    expect(timerTone(300_000)).toBe("red");
  });

  it("reads like a clock", () => {
    expect(formatElapsed(7_400)).toBe("0:07");
    expect(formatElapsed(83_000)).toBe("1:23");
    expect(formatElapsed(3_723_000)).toBe("1:02:03");
    expect(formatElapsed(-5)).toBe("0:00");
  });
});

describe("durations and usage", () => {
  it("says how long a step took", () => {
    expect(formatDuration(420)).toBe("0.4 s");
    expect(formatDuration(12_000)).toBe("12 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(120_000)).toBe("2 min");
  });

  it("shows tokens and cost only when there are some", () => {
    expect(formatUsage({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 })).toBe("");
    expect(formatUsage({ inputTokens: 800, outputTokens: 340, cacheReadTokens: 400, cacheWriteTokens: 0, costUsd: 0.0123 })).toBe("1.2k in · 340 out · $0.01");
  });
});

describe("what the agent is doing", () => {
  it("is busy while working or waiting for a permission", () => {
    expect(isBusy(status("a", "thinking"))).toBe(true);
    expect(isBusy(status("a", "tool"))).toBe(true);
    expect(isBusy(status("a", "waiting"))).toBe(false);
    expect(isBusy(status("a", "idle"))).toBe(false);
    const permission = { type: "permission_asked" as const, id: "e", ts: 1, requestId: "p", tool: "Bash", input: {}, reason: "" };
    expect(isBusy(status("a", "waiting", { permission }))).toBe(true);
    expect(isBusy(undefined)).toBe(false);
  });

  it("names the tool being run", () => {
    expect(activityWord(status("a", "tool", { detail: "Bash" }))).toBe("running Bash");
    expect(activityWord(status("a", "thinking"))).toBe("thinking");
  });
});

describe("toolSummary", () => {
  it("picks the command, path or pattern", () => {
    expect(toolSummary({ command: "ls -la\n  /tmp", description: "list" })).toBe("ls -la /tmp");
    expect(toolSummary({ file_path: "/a/b.py", content: "x" })).toBe("/a/b.py");
    expect(toolSummary({ other: 3, text: "fallback" })).toBe("fallback");
    expect(toolSummary({})).toBe("");
    expect(toolSummary({ command: "x".repeat(300) }, 20)).toHaveLength(20);
  });
});

describe("workingSince", () => {
  const turn = (ts: number, steered = false) => ({ ...userTurn("u", [queued("m", "x")]), ts, steered }) as LogEntry;
  it("times the whole turn while working, across its steps", () => {
    expect(workingSince(status("a", "tool", { since: 9_000 }), [turn(1_000), text("t", "x")])).toBe(1_000);
    expect(workingSince(status("a", "thinking", { since: 9_000 }), [turn(1_000), turn(5_000, true)])).toBe(1_000);
  });

  it("times waiting and idle states from when they began", () => {
    expect(workingSince(status("a", "waiting", { since: 9_000 }), [turn(1_000)])).toBe(9_000);
    expect(workingSince(status("a", "idle", { since: 9_000 }), [])).toBe(9_000);
  });

  it("does not reach back past the end of the previous turn", () => {
    expect(workingSince(status("a", "thinking", { since: 9_000 }), [turn(1_000), turnEnd("e")])).toBe(9_000);
    expect(workingSince(undefined, [])).toBeNull();
  });
});
