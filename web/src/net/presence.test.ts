import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PresenceUpdate } from "../protocol";
import { PresenceReporter, TYPING_IDLE_MS } from "./presence";

function reporter(connected = { value: true }) {
  const frames: PresenceUpdate[] = [];
  const typing: boolean[] = [];
  const made = new PresenceReporter(
    (frame) => {
      if (!connected.value) return false;
      frames.push(frame);
      return true;
    },
    (t) => typing.push(t),
  );
  return { made, frames, typing, connected };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("PresenceReporter", () => {
  it("says which chat is open, once per change", () => {
    const { made, frames } = reporter();
    made.view("a1");
    made.view("a1");
    made.view(null);
    expect(frames).toEqual([
      { type: "presence_update", viewing: "a1", typing: false },
      { type: "presence_update", viewing: null, typing: false },
    ]);
  });

  it("reports typing once when it starts and once when it goes quiet", () => {
    const { made, frames, typing } = reporter();
    made.view("a1");
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(500);
      made.typed();
    }
    expect(frames.filter((f) => f.typing)).toHaveLength(1);
    vi.advanceTimersByTime(TYPING_IDLE_MS - 1);
    expect(frames.at(-1)?.typing).toBe(true);
    vi.advanceTimersByTime(1);
    expect(frames.at(-1)).toEqual({ type: "presence_update", viewing: "a1", typing: false });
    expect(typing).toEqual([true, false]);
  });

  it("sending, leaving the box or leaving the chat ends typing at once", () => {
    const { made, frames } = reporter();
    made.view("a1");
    made.typed();
    made.stopTyping();
    expect(frames.at(-1)?.typing).toBe(false);
    made.typed();
    made.view("a2");
    expect(frames.at(-1)).toEqual({ type: "presence_update", viewing: "a2", typing: false });
    vi.advanceTimersByTime(TYPING_IDLE_MS * 2);
    expect(frames).toHaveLength(5);
  });

  it("typing in the office view is not typing to anyone", () => {
    const { made, frames } = reporter();
    made.typed();
    expect(frames).toEqual([]);
    expect(made.current()).toEqual({ viewing: null, typing: false });
  });

  it("what could not be sent goes out when a connection asks for it", () => {
    const { made, frames, connected } = reporter({ value: false });
    made.view("a1");
    made.typed();
    expect(frames).toEqual([]);
    connected.value = true;
    made.resend();
    expect(frames).toEqual([{ type: "presence_update", viewing: "a1", typing: true }]);
    // A new connection knows nothing: the same state is sent again.
    made.resend();
    expect(frames).toHaveLength(2);
  });
});
