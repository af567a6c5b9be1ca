import { describe, expect, it } from "vitest";
import { effectiveTarget } from "./useDeskDrag";

const rooms = { prevRoom: null, nextRoom: { id: "r2", name: "Lab" } };

describe("drop targets while dragging", () => {
  it("ignores the desk the agent came from and doors without a room", () => {
    expect(effectiveTarget({ kind: "desk", desk: 3 }, 3, rooms)).toBeNull();
    expect(effectiveTarget({ kind: "desk", desk: 4 }, 3, rooms)).toEqual({ kind: "desk", desk: 4 });
    expect(effectiveTarget({ kind: "door", side: "prev" }, 3, rooms)).toBeNull();
    expect(effectiveTarget({ kind: "door", side: "next" }, 3, rooms)).toEqual({ kind: "door", side: "next" });
    expect(effectiveTarget(null, 3, rooms)).toBeNull();
  });
});
