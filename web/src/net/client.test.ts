// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Store } from "../store/store";
import type { KeyValue } from "../store/storage";
import { agentSpec, snapshot } from "../store/testdata";
import { ACK_AFTER_BYTES, ACK_DELAY_MS, DELTA_BATCH_MS, OfficeClient } from "./client";
import { PendingQueue } from "./pending";
import { FakeSocket, memoryStorage } from "./testkit";

function setup(storage: KeyValue = memoryStorage()) {
  const store = new Store();
  const client = new OfficeClient({
    url: "ws://office/ws",
    store,
    clientId: "c_test",
    queue: new PendingQueue(storage, "c_test"),
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
  });
  client.start();
  return { store, client, storage, socket: () => FakeSocket.made[FakeSocket.made.length - 1] as FakeSocket };
}

const WELCOME = { type: "welcome", snapshot: snapshot({ epoch: "e1", seq: 10, agents: [agentSpec("a1")] }) };

beforeEach(() => {
  FakeSocket.made = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("OfficeClient", () => {
  it("says hello, learns who it is signed in as, and is connected once the snapshot arrives", () => {
    const { store, socket } = setup();
    socket().open();
    // Who this browser is comes from its sign-in, so the hello does not say.
    expect(socket().sent[0]).toEqual({ type: "hello", clientId: "c_test", lastSeq: null, epoch: null });
    expect(store.getState().ui.connection).toBe("connecting");
    socket().serve({ type: "identity", name: "Nil", device: "Laptop", role: "owner", rooms: null });
    expect(store.getState().ui.me).toEqual({ name: "Nil", device: "Laptop", role: "owner", rooms: null });
    expect(store.getState().ui.auth).toBe("signed_in");
    socket().serve(WELCOME);
    expect(store.getState().ui.connection).toBe("connected");
    expect(store.getState().server.agents.a1).toBeDefined();
  });

  it("acknowledges the events it applied a moment later, once for several frames", () => {
    const { store, socket } = setup();
    socket().open();
    socket().serve(WELCOME);
    socket().serve({ type: "events", deltas: [], items: [{ seq: 11, event: { type: "recent_cwds_changed", cwds: ["/x"] } }, { seq: 12, event: { type: "recent_cwds_changed", cwds: ["/y"] } }] });
    expect(store.getState().server.recentCwds).toEqual(["/y"]);
    socket().serve({ type: "events", deltas: [], items: [{ seq: 13, event: { type: "recent_cwds_changed", cwds: ["/z"] } }] });
    expect(socket().ofType("ack")).toEqual([]);
    vi.advanceTimersByTime(ACK_DELAY_MS);
    expect(socket().ofType("ack")).toEqual([{ type: "ack", seq: 13 }]);
  });

  it("acknowledges at once when many bytes of events are waiting", () => {
    const { socket } = setup();
    socket().open();
    socket().serve(WELCOME);
    const long = "/".padEnd(ACK_AFTER_BYTES, "x");
    socket().serve({ type: "events", deltas: [], items: [{ seq: 11, event: { type: "recent_cwds_changed", cwds: [long] } }] });
    expect(socket().ofType("ack")).toEqual([{ type: "ack", seq: 11 }]);
  });

  it("does not acknowledge on a new connection what the old one received", () => {
    const { socket } = setup();
    const first = socket();
    first.open();
    first.serve(WELCOME);
    first.serve({ type: "events", deltas: [], items: [{ seq: 11, event: { type: "recent_cwds_changed", cwds: ["/x"] } }] });
    first.drop();
    vi.advanceTimersByTime(ACK_DELAY_MS);
    expect(first.ofType("ack")).toEqual([]);
  });

  it("resumes from the last event seen after a reconnect", () => {
    const { socket } = setup();
    const first = socket();
    first.open();
    first.serve(WELCOME);
    first.serve({ type: "events", deltas: [], items: [{ seq: 11, event: { type: "recent_cwds_changed", cwds: ["/x"] } }] });
    first.drop();
    vi.advanceTimersByTime(20_000);
    const second = socket();
    expect(second).not.toBe(first);
    second.open();
    expect(second.sent[0]).toMatchObject({ type: "hello", lastSeq: 11, epoch: "e1" });
  });

  it("a replay with nothing missed counts as connected once the pong arrives", () => {
    const { store, socket } = setup();
    socket().open();
    socket().serve(WELCOME);
    socket().drop();
    vi.advanceTimersByTime(20_000);
    socket().open();
    expect(socket().ofType("ping")).toHaveLength(1);
    expect(store.getState().ui.connection).not.toBe("connected");
    socket().serve({ type: "pong" });
    expect(store.getState().ui.connection).toBe("connected");
  });

  it("keeps commands typed while disconnected and sends them, once, with the same request id", async () => {
    const { client, socket } = setup();
    const first = socket();
    first.open();
    first.serve(WELCOME);
    first.drop();
    const answer = client.command({ type: "send_message", agentId: "a1", text: "typed offline" });
    expect(first.ofType("command")).toHaveLength(0);
    vi.advanceTimersByTime(20_000);
    const second = socket();
    second.open();
    expect(second.ofType("command")).toHaveLength(0); // not before the office has answered the hello
    second.serve({ type: "pong" });
    const sent = second.ofType("command");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.command).toEqual({ type: "send_message", agentId: "a1", text: "typed offline" });
    second.serve({ type: "result", requestId: sent[0]?.requestId, result: { id: "m1" } });
    await expect(answer).resolves.toEqual({ id: "m1" });
  });

  it("resends a command whose answer was lost, with the same request id", () => {
    const { client, socket } = setup();
    const first = socket();
    first.open();
    first.serve(WELCOME);
    void client.command({ type: "create_task", title: "x" }).catch(() => undefined);
    const [original] = first.ofType("command");
    first.drop();
    vi.advanceTimersByTime(20_000);
    socket().open();
    socket().serve({ type: "pong" });
    const [again] = socket().ofType("command");
    expect(again?.requestId).toBe(original?.requestId);
  });

  it("messages survive a reload of the page", () => {
    const storage = memoryStorage();
    const before = setup(storage);
    before.socket().open();
    before.socket().serve(WELCOME);
    before.socket().drop();
    void before.client.command({ type: "send_message", agentId: "a1", text: "do not lose me" }).catch(() => undefined);
    before.client.stop();

    FakeSocket.made = [];
    const after = setup(storage);
    expect(after.store.getState().ui.pending.map((p) => p.text)).toEqual(["do not lose me"]);
    after.socket().open();
    after.socket().serve(WELCOME);
    expect(after.socket().ofType("command").map((f) => (f.command as { text: string }).text)).toEqual(["do not lose me"]);
  });

  it("refuses questions while offline instead of queueing them", async () => {
    const { client } = setup();
    await expect(client.command({ type: "validate_cwd", cwd: "/tmp" })).rejects.toMatchObject({ code: "offline" });
  });

  it("passes the server's refusal on to the caller", async () => {
    const { client, socket } = setup();
    socket().open();
    socket().serve(WELCOME);
    const answer = client.command({ type: "create_room", name: "Lab" });
    const [frame] = socket().ofType("command");
    socket().serve({ type: "failure", requestId: frame?.requestId, error: { code: "conflict", message: "there is already a room called Lab" } });
    await expect(answer).rejects.toMatchObject({ code: "conflict", message: "there is already a room called Lab" });
  });

  it("a gap in the events makes it reconnect instead of applying them", () => {
    const { store, socket } = setup();
    const first = socket();
    first.open();
    first.serve(WELCOME);
    first.serve({ type: "events", deltas: [], items: [{ seq: 15, event: { type: "recent_cwds_changed", cwds: ["/gap"] } }] });
    expect(store.getState().server.recentCwds).toEqual([]);
    expect(first.closed).toBe(true);
    const second = socket();
    expect(second).not.toBe(first);
    expect(store.getState().ui.connection).toBe("reconnecting");
    second.open();
    expect(second.sent[0]).toMatchObject({ type: "hello", lastSeq: 10, epoch: "e1" });
    second.serve({ type: "events", deltas: [], items: [{ seq: 11, event: { type: "recent_cwds_changed", cwds: ["/missed"] } }] });
    expect(store.getState().ui.connection).toBe("connected");
    expect(store.getState().server.recentCwds).toEqual(["/missed"]);
  });

  it("reconnecting on purpose resumes where it was, and commands still flow", async () => {
    const { client } = setup();
    const first = FakeSocket.made[0] as FakeSocket;
    first.open();
    first.serve(WELCOME);
    client.reconnect();
    const answer = client.command({ type: "create_room", name: "Lab" });
    const second = FakeSocket.made[1] as FakeSocket;
    second.open();
    second.serve({ type: "pong" });
    expect(second.sent[0]).toMatchObject({ type: "hello", lastSeq: 10, epoch: "e1" });
    const [frame] = second.ofType("command");
    second.serve({ type: "result", requestId: frame?.requestId, result: null });
    await expect(answer).resolves.toBeNull();
  });

  it("backs off between attempts and says when it is offline", () => {
    const { store, socket } = setup();
    socket().drop();
    expect(store.getState().ui.connection).toBe("reconnecting");
    let attempts = 1;
    for (let i = 0; i < 8; i++) {
      vi.advanceTimersByTime(20_000);
      socket().drop();
      attempts += 1;
    }
    expect(FakeSocket.made.length).toBe(attempts);
    expect(store.getState().ui.connection).toBe("offline");
  });

  it("batches streamed text into the store a few times a second", () => {
    const { store, socket } = setup();
    socket().open();
    socket().serve(WELCOME);
    let renders = 0;
    store.subscribe(() => (renders += 1));
    for (const word of ["Hel", "lo ", "there"]) socket().serve({ type: "events", deltas: [{ agentId: "a1", block: "b1", kind: "text", text: word }], items: [] });
    expect(store.getState().server.streams.a1).toBeUndefined();
    vi.advanceTimersByTime(DELTA_BATCH_MS);
    expect(store.getState().server.streams.a1?.[0]?.text).toBe("Hello there");
    expect(renders).toBe(1);
  });

  it("applies buffered stream text before the events that follow it", () => {
    const { store, socket } = setup();
    socket().open();
    socket().serve(WELCOME);
    socket().serve({ type: "events", deltas: [{ agentId: "a1", block: "b1", kind: "text", text: "Hel" }], items: [] });
    socket().serve({ type: "events", deltas: [{ agentId: "a1", block: "b2", kind: "text", text: "next" }], items: [] });
    const entry = { type: "text", id: "x1", ts: 1, text: "Hello", block: "b1", truncated: false };
    socket().serve({ type: "events", deltas: [], items: [{ seq: 11, event: { type: "log_appended", agentId: "a1", sessionId: "s1", entry, cursor: "s1:0" } }] });
    expect(store.getState().server.streams.a1).toEqual([{ block: "b2", kind: "text", text: "next" }]);
    vi.advanceTimersByTime(DELTA_BATCH_MS);
    expect(store.getState().server.streams.a1).toEqual([{ block: "b2", kind: "text", text: "next" }]);
  });

  it("takes a frame's stream text before the events in the same frame", () => {
    const { store, socket } = setup();
    socket().open();
    socket().serve(WELCOME);
    const entry = { type: "text", id: "x1", ts: 1, text: "Hello", block: "b1", truncated: false };
    const deltas = [
      { agentId: "a1", block: "b1", kind: "text" as const, text: "Hello" },
      { agentId: "a1", block: "b2", kind: "text" as const, text: "more" },
    ];
    socket().serve({ type: "events", deltas, items: [{ seq: 11, event: { type: "log_appended", agentId: "a1", sessionId: "s1", entry, cursor: "s1:0" } }] });
    // b1 ended with its entry in the same frame; b2 goes on streaming, with no wait for a timer.
    expect(store.getState().server.streams.a1).toEqual([{ block: "b2", kind: "text", text: "more" }]);
    expect(store.getState().server.seq).toBe(11);
  });
});
