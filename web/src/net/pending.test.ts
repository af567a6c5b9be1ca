import { describe, expect, it } from "vitest";
import type { Command } from "../protocol";
import { adoptOrphans, commandKind, ORPHAN_AFTER_MS, PendingQueue, viewOf } from "./pending";
import { memoryStorage } from "./testkit";

const message = (text: string): Command => ({ type: "send_message", agentId: "a1", text });

describe("commandKind", () => {
  it("sorts commands by how long they stay meaningful", () => {
    expect(commandKind(message("hi"))).toBe("durable");
    expect(commandKind({ type: "create_task", title: "x" })).toBe("durable");
    expect(commandKind({ type: "interrupt", agentId: "a1" })).toBe("instant");
    expect(commandKind({ type: "send_now", agentId: "a1" })).toBe("instant");
    expect(commandKind({ type: "validate_cwd", cwd: "/" })).toBe("query");
    expect(commandKind({ type: "list_sessions", agentId: "a1" })).toBe("query");
  });
});

describe("PendingQueue", () => {
  it("keeps messages in storage until they are answered, so a reload finds them", () => {
    const storage = memoryStorage();
    const queue = new PendingQueue(storage, "c1");
    queue.add({ requestId: "q1", command: message("first"), createdAt: 1 });
    queue.add({ requestId: "q2", command: { type: "interrupt", agentId: "a1" }, createdAt: 2 });
    queue.add({ requestId: "q3", command: message("second"), createdAt: 3 });

    const reloaded = new PendingQueue(storage, "c1");
    const restored = reloaded.restore(10);
    expect(restored.map((i) => i.requestId)).toEqual(["q1", "q3"]);

    reloaded.settle("q1");
    expect(new PendingQueue(storage, "c1").restore(10).map((i) => i.requestId)).toEqual(["q3"]);
    reloaded.settle("q3");
    expect(storage.dump()).toEqual({});
  });

  it("keeps the original order and request ids", () => {
    const storage = memoryStorage();
    const queue = new PendingQueue(storage, "c1");
    for (let i = 0; i < 5; i++) queue.add({ requestId: `q${i}`, command: message(`m${i}`), createdAt: i });
    expect(queue.all().map((i) => i.requestId)).toEqual(["q0", "q1", "q2", "q3", "q4"]);
    expect(new PendingQueue(storage, "c1").restore(0).map((i) => (i.command.type === "send_message" ? i.command.text : ""))).toEqual(["m0", "m1", "m2", "m3", "m4"]);
  });

  it("ignores damaged storage", () => {
    const storage = memoryStorage();
    storage.setItem("isomux:pending:c1", "{not json");
    storage.setItem("isomux:pending:c2", JSON.stringify([{ nope: 1 }, { requestId: "q9", command: message("ok"), createdAt: 1 }]));
    const restored = new PendingQueue(storage, "c1").restore(ORPHAN_AFTER_MS * 10);
    expect(restored.map((i) => i.requestId)).toEqual(["q9"]);
  });

  it("settling an unknown request changes nothing", () => {
    const queue = new PendingQueue(memoryStorage(), "c1");
    queue.add({ requestId: "q1", command: message("hi"), createdAt: 1 });
    expect(queue.settle("nope")).toBeUndefined();
    expect(queue.has("q1")).toBe(true);
  });
});

describe("adoptOrphans", () => {
  it("takes over the messages of a tab that is gone, but not of a live one", () => {
    const storage = memoryStorage();
    const gone = new PendingQueue(storage, "gone");
    gone.heartbeat(1_000);
    gone.add({ requestId: "g1", command: message("from a closed tab"), createdAt: 5 });
    const alive = new PendingQueue(storage, "alive");
    alive.heartbeat(100_000);
    alive.add({ requestId: "l1", command: message("from an open tab"), createdAt: 4 });

    const adopted = adoptOrphans(storage, "me", 100_000 + 1_000);
    expect(adopted.map((i) => i.requestId)).toEqual(["g1"]);
    expect(storage.getItem("isomux:pending:gone")).toBeNull();
    expect(storage.getItem("isomux:pending:alive")).not.toBeNull();
  });

  it("a tab that said goodbye (a reload) is not adopted from itself", () => {
    const storage = memoryStorage();
    const before = new PendingQueue(storage, "c1");
    before.heartbeat(1_000);
    before.add({ requestId: "q1", command: message("typed"), createdAt: 1 });
    before.leaving();
    const after = new PendingQueue(storage, "c1");
    expect(after.restore(1_500).map((i) => i.requestId)).toEqual(["q1"]);
  });
});

describe("viewOf", () => {
  it("shows the agent and text of a message", () => {
    expect(viewOf({ requestId: "q1", command: message("hello"), createdAt: 1 }, false)).toEqual({ requestId: "q1", type: "send_message", agentId: "a1", text: "hello", sent: false });
    expect(viewOf({ requestId: "q2", command: { type: "create_room" }, createdAt: 1 }, true)).toEqual({ requestId: "q2", type: "create_room", agentId: null, text: null, sent: true });
  });
});
