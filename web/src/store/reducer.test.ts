import { describe, expect, it } from "vitest";
import type { OfficeEvent, SeqEvent } from "../protocol";
import { MAX_ENTRIES } from "./log";
import { finishedWorking, reduce, type Action } from "./reducer";
import { INITIAL_STATE, type AppState } from "./state";
import { agentSpec, queued, snapshot, status, tail, task, text, thinking, turnEnd, userTurn } from "./testdata";

function run(state: AppState, ...actions: Action[]): AppState {
  return actions.reduce(reduce, state);
}

function welcomed(extra: Parameters<typeof snapshot>[0] = {}): AppState {
  return reduce(INITIAL_STATE, { type: "welcome", snapshot: snapshot({ agents: [agentSpec("a1")], ...extra }) });
}

let counter = 10;
function events(...list: OfficeEvent[]): Action {
  const items: SeqEvent[] = list.map((event) => {
    counter += 1;
    return { seq: counter, event };
  });
  return { type: "events", items };
}

function fresh(extra: Parameters<typeof snapshot>[0] = {}): AppState {
  counter = 10;
  return welcomed(extra);
}

describe("welcome", () => {
  it("replaces everything the server owns", () => {
    let state = fresh({ tasks: [task("t1")] });
    state = run(state, events({ type: "agent_added", agent: agentSpec("a2") }));
    expect(Object.keys(state.server.agents).sort()).toEqual(["a1", "a2"]);
    state = reduce(state, { type: "welcome", snapshot: snapshot({ epoch: "e2", seq: 3, agents: [agentSpec("a9")] }) });
    expect(Object.keys(state.server.agents)).toEqual(["a9"]);
    expect(state.server.tasks).toEqual({});
    expect(state.server.epoch).toBe("e2");
    expect(state.server.seq).toBe(3);
    expect(state.ui.loaded).toBe(true);
  });

  it("takes the log tails, queues and streams of the snapshot", () => {
    const state = fresh({
      logs: { a1: tail([text("x1", "hello")], "s1", "s1:0") },
      queues: { a1: [queued("m1", "wait")] },
      streams: { a1: [{ block: "b1", kind: "text", text: "partial" }] },
    });
    expect(state.server.logs.a1?.entries.map((e) => e.id)).toEqual(["x1"]);
    expect(state.server.logs.a1?.older).toBe("s1:0");
    expect(state.server.queues.a1?.[0]?.text).toBe("wait");
    expect(state.server.streams.a1?.[0]?.text).toBe("partial");
  });

  it("flags an agent that finished working while the browser was away", () => {
    let state = fresh({ statuses: { a1: status("a1", "thinking") } });
    state = reduce(state, { type: "welcome", snapshot: snapshot({ agents: [agentSpec("a1")], statuses: { a1: status("a1", "waiting") } }) });
    expect(state.ui.attention.a1).toBeDefined();
  });
});

describe("events", () => {
  it("apply in order and skip what was already applied", () => {
    let state = fresh();
    state = reduce(state, { type: "events", items: [{ seq: 11, event: { type: "recent_cwds_changed", cwds: ["/a"] } }] });
    state = reduce(state, {
      type: "events",
      items: [
        { seq: 11, event: { type: "recent_cwds_changed", cwds: ["/stale"] } },
        { seq: 12, event: { type: "recent_cwds_changed", cwds: ["/b"] } },
        { seq: 13, event: { type: "recent_cwds_changed", cwds: ["/c", "/b"] } },
      ],
    });
    expect(state.server.recentCwds).toEqual(["/c", "/b"]);
    expect(state.server.seq).toBe(13);
  });

  it("office, rooms, agents and tasks", () => {
    let state = fresh();
    state = run(
      state,
      events(
        { type: "office_changed", settings: { prompt: "be kind", envFile: "" } },
        { type: "rooms_changed", rooms: [{ id: "r2", name: "Lab", prompt: "", envFile: "" }] },
        { type: "agent_updated", agent: agentSpec("a1", { name: "Ada" }) },
        { type: "task_changed", task: task("t1") },
        { type: "task_changed", task: task("t2", { status: "done" }) },
        { type: "task_removed", taskId: "t1" },
      ),
    );
    expect(state.server.office.prompt).toBe("be kind");
    expect(state.server.rooms.map((r) => r.name)).toEqual(["Lab"]);
    expect(state.server.agents.a1?.name).toBe("Ada");
    expect(Object.keys(state.server.tasks)).toEqual(["t2"]);
  });

  it("agent_removed forgets everything about the agent", () => {
    let state = fresh({ statuses: { a1: status("a1", "thinking") }, logs: { a1: tail([text("x", "y")]) }, queues: { a1: [queued("m", "q")] } });
    state = run(state, events({ type: "status_changed", status: status("a1", "idle") }), events({ type: "agent_removed", agentId: "a1" }));
    expect(state.server.agents.a1).toBeUndefined();
    expect(state.server.statuses.a1).toBeUndefined();
    expect(state.server.logs.a1).toBeUndefined();
    expect(state.server.queues.a1).toBeUndefined();
    expect(state.ui.attention.a1).toBeUndefined();
  });

  it("log_appended grows the log, ignores repeats and starts over on a new session", () => {
    let state = fresh({ logs: { a1: tail([text("x1", "one")]) } });
    state = run(
      state,
      events(
        { type: "log_appended", agentId: "a1", sessionId: "s1", entry: text("x2", "two"), cursor: "s1:200" },
        { type: "log_appended", agentId: "a1", sessionId: "s1", entry: text("x2", "two"), cursor: "s1:200" },
      ),
    );
    expect(state.server.logs.a1?.entries.map((e) => e.id)).toEqual(["x1", "x2"]);
    expect(state.server.logs.a1?.cursors).toEqual(["s1:0", "s1:200"]);
    state = run(state, events({ type: "log_appended", agentId: "a1", sessionId: "s2", entry: text("y1", "new"), cursor: "s2:0" }));
    expect(state.server.logs.a1?.sessionId).toBe("s2");
    expect(state.server.logs.a1?.entries.map((e) => e.id)).toEqual(["y1"]);
  });

  it("log_reset shows the new tail and drops streams", () => {
    let state = fresh({ logs: { a1: tail([text("x1", "old")]) }, streams: { a1: [{ block: "b", kind: "text", text: "..." }] } });
    state = run(state, events({ type: "log_reset", agentId: "a1", tail: tail([text("z1", "fresh")], "s9", null) }));
    expect(state.server.logs.a1?.sessionId).toBe("s9");
    expect(state.server.logs.a1?.entries.map((e) => e.id)).toEqual(["z1"]);
    expect(state.server.streams.a1).toBeUndefined();
  });

  it("queue_changed replaces the agent's queue", () => {
    let state = fresh();
    state = run(state, events({ type: "queue_changed", agentId: "a1", messages: [queued("m1", "one"), queued("m2", "two", "Bob", "Phone")] }));
    expect(state.server.queues.a1?.map((m) => m.text)).toEqual(["one", "two"]);
    state = run(state, events({ type: "queue_changed", agentId: "a1", messages: [queued("m2", "two (edited)", "Bob", "Phone")] }));
    expect(state.server.queues.a1?.map((m) => m.text)).toEqual(["two (edited)"]);
    state = run(state, events({ type: "queue_changed", agentId: "a1", messages: [] }));
    expect(state.server.queues.a1).toEqual([]);
  });

  it("status_changed from working to waiting asks for attention unless the chat is open", () => {
    let state = fresh();
    state = run(state, events({ type: "status_changed", status: status("a1", "thinking") }), events({ type: "status_changed", status: status("a1", "tool") }));
    expect(state.ui.attention).toEqual({});
    const chime = state.ui.chime;
    state = run(state, events({ type: "status_changed", status: status("a1", "waiting", { since: 5000 }) }));
    expect(state.ui.attention.a1).toBe(5000);
    expect(state.ui.chime).toBe(chime + 1);
    state = reduce(state, { type: "view", agentId: "a1" });
    expect(state.ui.attention.a1).toBeUndefined();
    state = run(state, events({ type: "status_changed", status: status("a1", "thinking") }), events({ type: "status_changed", status: status("a1", "error") }));
    expect(state.ui.attention.a1).toBeUndefined();
    expect(state.ui.chime).toBe(chime + 2);
  });

  it("going from idle to waiting is not finishing work", () => {
    expect(finishedWorking("idle", "waiting")).toBe(false);
    expect(finishedWorking(undefined, "idle")).toBe(false);
    expect(finishedWorking("tool", "idle")).toBe(true);
    expect(finishedWorking("thinking", "tool")).toBe(false);
  });
});

describe("deltas", () => {
  it("merge per block, in arrival order", () => {
    let state = fresh();
    state = reduce(state, {
      type: "deltas",
      deltas: [
        { agentId: "a1", block: "b1", kind: "thinking", text: "Hmm" },
        { agentId: "a1", block: "b2", kind: "text", text: "Hel" },
        { agentId: "a1", block: "b1", kind: "thinking", text: ", ok" },
      ],
    });
    state = reduce(state, { type: "deltas", deltas: [{ agentId: "a1", block: "b2", kind: "text", text: "lo" }] });
    expect(state.server.streams.a1).toEqual([
      { block: "b1", kind: "thinking", text: "Hmm, ok" },
      { block: "b2", kind: "text", text: "Hello" },
    ]);
  });

  it("stop once the block's final entry arrives, and late deltas for it are dropped", () => {
    let state = fresh();
    state = reduce(state, { type: "deltas", deltas: [{ agentId: "a1", block: "b1", kind: "text", text: "Hel" }] });
    state = run(state, events({ type: "log_appended", agentId: "a1", sessionId: "s1", entry: text("x1", "Hello", "b1"), cursor: "s1:0" }));
    expect(state.server.streams.a1).toBeUndefined();
    state = reduce(state, { type: "deltas", deltas: [{ agentId: "a1", block: "b1", kind: "text", text: "lo" }] });
    expect(state.server.streams.a1).toBeUndefined();
  });

  it("keep other blocks when one completes; a turn's end clears them all", () => {
    let state = fresh();
    state = reduce(state, {
      type: "deltas",
      deltas: [
        { agentId: "a1", block: "b1", kind: "thinking", text: "think" },
        { agentId: "a1", block: "b2", kind: "text", text: "say" },
      ],
    });
    state = run(state, events({ type: "log_appended", agentId: "a1", sessionId: "s1", entry: thinking("x1", "think", "b1"), cursor: "s1:0" }));
    expect(state.server.streams.a1?.map((s) => s.block)).toEqual(["b2"]);
    state = run(state, events({ type: "log_appended", agentId: "a1", sessionId: "s1", entry: turnEnd("x2", "interrupted"), cursor: "s1:50" }));
    expect(state.server.streams.a1).toBeUndefined();
  });
});

describe("local actions", () => {
  it("prepend an older page only if the window still starts where it was asked", () => {
    let state = fresh({ logs: { a1: tail([text("x3", "three")], "s1", "s1:300") } });
    const page = { sessionId: "s1", entries: [text("x1", "one"), text("x2", "two"), text("x3", "three")], cursors: ["s1:100", "s1:200", "s1:300"], older: null };
    state = reduce(state, { type: "log_page", agentId: "a1", before: "s1:300", page });
    expect(state.server.logs.a1?.entries.map((e) => e.id)).toEqual(["x1", "x2", "x3"]);
    expect(state.server.logs.a1?.older).toBeNull();
    const stale = reduce(state, { type: "log_page", agentId: "a1", before: "s1:300", page: { ...page, entries: [text("zz", "nope")], cursors: ["s1:1"] } });
    expect(stale).toBe(state);
  });

  it("replace a shortened entry with its full text", () => {
    let state = fresh({ logs: { a1: tail([{ ...(text("x1", "short…") as object), truncated: true } as ReturnType<typeof text>]) } });
    state = reduce(state, { type: "entry_full", agentId: "a1", entry: text("x1", "the whole text") });
    const entry = state.server.logs.a1?.entries[0];
    expect(entry?.type === "text" ? entry.text : null).toBe("the whole text");
  });

  it("cap a long conversation but keep the way back", () => {
    let state = fresh({ logs: { a1: tail([], "s1", null) } });
    const appended = Array.from({ length: MAX_ENTRIES + 5 }, (_, i): OfficeEvent => ({ type: "log_appended", agentId: "a1", sessionId: "s1", entry: text(`x${i}`, "t"), cursor: `s1:${i}` }));
    state = run(state, events(...appended));
    const log = state.server.logs.a1;
    expect(log?.entries).toHaveLength(MAX_ENTRIES);
    expect(log?.entries[0]?.id).toBe("x5");
    expect(log?.older).toBe("s1:5");
  });

  it("user turns keep every sender", () => {
    let state = fresh();
    state = run(state, events({ type: "log_appended", agentId: "a1", sessionId: "s1", entry: userTurn("u1", [queued("m1", "hi", "Nil", "Laptop"), queued("m2", "yo", "Bob")]), cursor: "s1:0" }));
    const entry = state.server.logs.a1?.entries[0];
    expect(entry?.type === "user_turn" ? entry.messages.map((m) => m.sender.name) : []).toEqual(["Nil", "Bob"]);
  });

  it("connection changes and pending views are stored", () => {
    let state = fresh();
    state = reduce(state, { type: "connection", state: "reconnecting" });
    expect(state.ui.connection).toBe("reconnecting");
    expect(reduce(state, { type: "connection", state: "reconnecting" })).toBe(state);
    state = reduce(state, { type: "pending", pending: [{ requestId: "q1", type: "send_message", agentId: "a1", text: "hi", sent: false }] });
    expect(state.ui.pending).toHaveLength(1);
  });
});

describe("who this browser is", () => {
  it("the office's identity frame signs the browser in as that person", () => {
    const state = reduce(INITIAL_STATE, { type: "identity", identity: { type: "identity", name: "Bob", device: "Phone", role: "member", rooms: ["r2"] } });
    expect(state.ui.auth).toBe("signed_in");
    expect(state.ui.me).toEqual({ name: "Bob", device: "Phone", role: "member", rooms: ["r2"] });
  });

  it("presence replaces the list of connected browsers", () => {
    const people = [{ id: "o1", name: "Bob", device: "Phone", viewing: "a1", typing: false, you: false }];
    expect(reduce(INITIAL_STATE, { type: "presence", people }).ui.presence).toEqual(people);
  });

  it("signing out forgets the office and the person, so the next person starts clean", () => {
    let state = fresh({ tasks: [task("t1")] });
    state = run(
      state,
      { type: "identity", identity: { type: "identity", name: "Nil", device: "Laptop", role: "owner", rooms: null } },
      { type: "presence", people: [{ id: "o1", name: "Bob", device: null, viewing: null, typing: false, you: false }] },
      { type: "typing", typing: true },
      { type: "auth", state: "signed_out" },
    );
    expect(state.ui.auth).toBe("signed_out");
    expect(state.ui.me).toBeNull();
    expect(state.ui.presence).toEqual([]);
    expect(state.ui.typing).toBe(false);
    expect(state.ui.loaded).toBe(false);
    expect(state.server.agents).toEqual({});
    expect(state.server.tasks).toEqual({});
    expect(state.server.epoch).toBeNull();
  });
});
