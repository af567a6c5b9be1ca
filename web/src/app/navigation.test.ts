import { describe, expect, it } from "vitest";
import { parseRoute, routeHash } from "./route";
import { reorder } from "./RoomTabs";
import { cycleAgent } from "./useShortcuts";

describe("routes", () => {
  it("round-trip through the URL", () => {
    for (const route of [{ view: "office" }, { view: "tasks" }, { view: "chat", agentId: "a_1 2" }] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
    expect(parseRoute("")).toEqual({ view: "office" });
    expect(parseRoute("#/nonsense")).toEqual({ view: "office" });
  });
});

describe("room order", () => {
  it("drops a dragged room where the target was", () => {
    expect(reorder(["a", "b", "c", "d"], "a", "c")).toEqual(["b", "c", "a", "d"]);
    expect(reorder(["a", "b", "c", "d"], "d", "b")).toEqual(["a", "d", "b", "c"]);
    expect(reorder(["a", "b"], "a", "a")).toEqual(["a", "b"]);
  });
});

describe("Tab between agents", () => {
  it("wraps around the room", () => {
    expect(cycleAgent(["a", "b", "c"], "c", 1)).toBe("a");
    expect(cycleAgent(["a", "b", "c"], "a", -1)).toBe("c");
    expect(cycleAgent(["a"], "a", 1)).toBeNull();
  });
});
