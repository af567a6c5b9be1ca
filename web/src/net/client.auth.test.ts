// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Store } from "../store/store";
import { agentSpec, snapshot } from "../store/testdata";
import type { SignInCheck } from "./auth";
import { OfficeClient } from "./client";
import { PendingQueue } from "./pending";
import { SIGNED_OUT_FIRST_CHECK_MS, SIGNED_OUT_MAX_CHECK_MS } from "./signin";
import { FakeSocket, memoryStorage } from "./testkit";

const WELCOME = { type: "welcome", snapshot: snapshot({ epoch: "e1", seq: 10, agents: [agentSpec("a1")] }) };
const IDENTITY = { type: "identity", name: "Nil", device: "Laptop", role: "owner", rooms: null };

/** An office whose `/api/me` answers what `answer` says, counting the questions. */
function setup(answer: { value: SignInCheck }) {
  const store = new Store();
  let checks = 0;
  const storage = memoryStorage();
  const client = new OfficeClient({
    url: "ws://office/ws",
    store,
    clientId: "c_test",
    queue: new PendingQueue(storage, "c_test"),
    checkSignIn: () => {
      checks += 1;
      return Promise.resolve(answer.value);
    },
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
  });
  client.start();
  return { store, client, storage, checks: () => checks, socket: () => FakeSocket.made[FakeSocket.made.length - 1] as FakeSocket };
}

/** Let the promise of a sign-in check settle. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  FakeSocket.made = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("signing in and out", () => {
  it("a refused socket leads to the signed-out screen, without a storm of reconnects", async () => {
    const answer = { value: "signed_out" as SignInCheck };
    const { store, checks, socket } = setup(answer);
    socket().drop(); // refused at the handshake: closed before any frame
    await settle();
    expect(checks()).toBe(1);
    expect(store.getState().ui.auth).toBe("signed_out");
    // Ten minutes later: still one socket, and only a few quiet questions to /api/me.
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeSocket.made).toHaveLength(1);
    expect(checks()).toBeGreaterThan(1);
    expect(checks()).toBeLessThanOrEqual(10);
  });

  it("checks back less and less often while signed out", async () => {
    const { checks, socket } = setup({ value: "signed_out" });
    socket().drop();
    await settle();
    await vi.advanceTimersByTimeAsync(SIGNED_OUT_FIRST_CHECK_MS);
    expect(checks()).toBe(2);
    await vi.advanceTimersByTimeAsync(SIGNED_OUT_FIRST_CHECK_MS);
    expect(checks()).toBe(2);
    await vi.advanceTimersByTimeAsync(SIGNED_OUT_FIRST_CHECK_MS);
    expect(checks()).toBe(3);
    const before = checks();
    await vi.advanceTimersByTimeAsync(SIGNED_OUT_MAX_CHECK_MS * 3);
    expect(checks() - before).toBeLessThanOrEqual(3);
  });

  it("an office that is down is retried as usual, not taken for a sign-out", async () => {
    const { store, socket } = setup({ value: "unknown" });
    socket().drop();
    await settle();
    expect(store.getState().ui.auth).toBe("unknown");
    expect(store.getState().ui.connection).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeSocket.made.length).toBeGreaterThan(1);
  });

  it("a connection that worked and then dropped is retried without asking", async () => {
    const { checks, socket } = setup({ value: "signed_out" });
    const first = socket();
    first.open();
    first.serve(IDENTITY);
    first.serve(WELCOME);
    first.drop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(checks()).toBe(0);
    expect(FakeSocket.made.length).toBeGreaterThan(1);
  });

  it("signing in elsewhere (another tab) brings the office back", async () => {
    const answer = { value: "signed_out" as SignInCheck };
    const { store, client, socket } = setup(answer);
    socket().drop();
    await settle();
    expect(store.getState().ui.auth).toBe("signed_out");
    answer.value = "signed_in";
    client.checkNow();
    await settle();
    expect(FakeSocket.made).toHaveLength(2);
    socket().open();
    socket().serve(IDENTITY);
    socket().serve(WELCOME);
    expect(store.getState().ui.auth).toBe("signed_in");
    expect(store.getState().ui.connection).toBe("connected");
  });

  it("signing out closes the socket, forgets what was not sent, and does not reconnect", async () => {
    const { store, client, storage, socket } = setup({ value: "signed_out" });
    const first = socket();
    first.open();
    first.serve(IDENTITY);
    first.serve(WELCOME);
    first.drop(); // offline for a moment: the message waits
    const sent = client.command({ type: "send_message", agentId: "a1", text: "typed by Nil" });
    expect(storage.length).toBeGreaterThan(0);
    client.signOut();
    await expect(sent).rejects.toMatchObject({ code: "signed_out" });
    expect(store.getState().ui.auth).toBe("signed_out");
    expect(store.getState().ui.me).toBeNull();
    expect(store.getState().server.agents).toEqual({});
    expect(store.getState().ui.pending).toEqual([]);
    expect([...Array(storage.length).keys()].map((i) => storage.key(i)).filter((k) => k?.startsWith("isomux:pending:"))).toEqual([]);
    const sockets = FakeSocket.made.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.made).toHaveLength(sockets);
  });

  it("signing out while connected closes that socket", () => {
    const { client, socket } = setup({ value: "signed_out" });
    socket().open();
    socket().serve(IDENTITY);
    socket().serve(WELCOME);
    client.signOut();
    expect(socket().closed).toBe(true);
  });
});

describe("presence on the wire", () => {
  it("goes out only after the office accepted the hello, and again after a reconnect", async () => {
    const { store, client, socket } = setup({ value: "unknown" });
    client.presence.view("a1");
    const first = socket();
    first.open();
    expect(first.ofType("presence_update")).toEqual([]);
    first.serve(IDENTITY);
    expect(first.ofType("presence_update")).toEqual([{ type: "presence_update", viewing: "a1", typing: false }]);
    first.serve({ type: "presence", people: [{ id: "o2", name: "Bob", device: "Phone", viewing: "a1", typing: true, you: false }] });
    expect(store.getState().ui.presence.map((v) => v.name)).toEqual(["Bob"]);
    first.serve(WELCOME);
    first.drop();
    await vi.advanceTimersByTimeAsync(20_000);
    const second = socket();
    second.open();
    second.serve({ type: "pong" });
    expect(second.ofType("presence_update")).toEqual([{ type: "presence_update", viewing: "a1", typing: false }]);
  });

  it("typing shows in the store, for the steering warning", () => {
    const { store, client, socket } = setup({ value: "unknown" });
    socket().open();
    socket().serve(IDENTITY);
    client.presence.view("a1");
    client.presence.typed();
    expect(store.getState().ui.typing).toBe(true);
    client.presence.stopTyping();
    expect(store.getState().ui.typing).toBe(false);
  });
});
