import { describe, expect, it } from "vitest";
import type { LogEntry } from "../protocol";
import { queued, text, userTurn } from "../store/testdata";
import { chatItems, senderLabel, transcript, turnText } from "./items";

const call = (id: string, toolId: string): LogEntry => ({ type: "tool_call", id, ts: 1, toolId, name: "Bash", input: { command: "ls" }, truncated: false });
const result = (id: string, toolId: string): LogEntry => ({ type: "tool_result", id, ts: 2, toolId, output: "a b", isError: false, durationMs: 30, truncated: false });

describe("chatItems", () => {
  it("pairs each tool call with its result, even with other entries between them", () => {
    const items = chatItems([call("c1", "t1"), call("c2", "t2"), text("x", "meanwhile"), result("r2", "t2"), result("r1", "t1")]);
    expect(items.map((i) => i.kind)).toEqual(["tool", "tool", "text"]);
    const first = items[0];
    expect(first?.kind === "tool" ? [first.call?.id, first.result?.id] : []).toEqual(["c1", "r1"]);
  });

  it("shows a result whose call scrolled out of the window on its own", () => {
    const items = chatItems([result("r1", "t-old")]);
    expect(items[0]).toMatchObject({ kind: "tool", call: null });
  });

  it("puts the answer on its permission request", () => {
    const items = chatItems([
      { type: "permission_asked", id: "p1", ts: 1, requestId: "rq", tool: "Bash", input: {}, reason: "why" },
      { type: "permission_answered", id: "p2", ts: 2, requestId: "rq", decision: "deny", by: "Nil", message: "" },
    ]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "permission", answer: { decision: "deny", by: "Nil" } });
  });
});

describe("text helpers", () => {
  it("labels senders like the office does", () => {
    expect(senderLabel({ name: "Nil", device: "Phone" })).toBe("[Nil (Phone)]");
    expect(senderLabel({ name: "Ada", device: null })).toBe("[Ada]");
  });

  it("edits a coalesced turn as its messages without labels", () => {
    const turn = userTurn("u1", [queued("m1", "first"), queued("m2", "second", "Bob")]);
    expect(turn.type === "user_turn" ? turnText(turn) : "").toBe("first\n\nsecond");
  });

  it("copies a conversation as text", () => {
    expect(transcript([userTurn("u1", [queued("m1", "hi", "Nil", "Laptop")]), text("x", "hello back")])).toBe("[Nil (Laptop)] hi\n\nhello back");
  });
});
