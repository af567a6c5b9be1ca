import { describe, expect, it } from "vitest";
import {
  COMPACT_VIEWBOX,
  DESK_COUNT,
  DESK_SLOTS,
  deskAnchor,
  deskDepth,
  deskHitBox,
  doorHitPolygon,
  dropTargetAt,
  estimateTextWidth,
  labelAnchor,
  paintOrder,
  polygonContains,
  project,
  rectContains,
  ROOM_U,
  ROOM_V,
  unproject,
  VIEWBOX,
  WALL_HEIGHT,
  WALL_ITEMS,
  wallItemCorners,
  type Rect,
} from "./geometry";

function inside(inner: Rect, outer: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe("projection", () => {
  it("round-trips through unproject at any height", () => {
    for (const [u, v, z] of [
      [0, 0, 0],
      [3.2, 7.9, 0],
      [ROOM_U, ROOM_V, 0],
      [1.5, 4.25, 35],
      [-0.3, 2, WALL_HEIGHT],
    ] as const) {
      const back = unproject(project(u, v, z), z);
      expect(back.u).toBeCloseTo(u, 9);
      expect(back.v).toBeCloseTo(v, 9);
    }
  });

  it("is a 2:1 isometric: moving along u goes right and down, along v left and down, up raises", () => {
    const o = project(1, 1);
    const du = project(2, 1);
    const dv = project(1, 2);
    expect(du.x - o.x).toBeGreaterThan(0);
    expect(du.y - o.y).toBeCloseTo((du.x - o.x) / 2);
    expect(dv.x - o.x).toBeLessThan(0);
    expect(dv.y - o.y).toBeCloseTo((o.x - dv.x) / 2);
    expect(project(1, 1, 10).y).toBeCloseTo(o.y - 10);
  });
});

describe("desk slots", () => {
  it("has eight distinct slots on the floor", () => {
    expect(DESK_SLOTS).toHaveLength(DESK_COUNT);
    const anchors = new Set(DESK_SLOTS.map((s) => `${deskAnchor(s.index).x},${deskAnchor(s.index).y}`));
    expect(anchors.size).toBe(DESK_COUNT);
    for (const slot of DESK_SLOTS) {
      expect(slot.u - 0.9).toBeGreaterThan(0);
      expect(slot.u + 0.9).toBeLessThan(ROOM_U);
      expect(slot.v - 1.1).toBeGreaterThan(0);
      expect(slot.v + 0.5).toBeLessThan(ROOM_V);
    }
  });

  it("keeps every desk drawing inside both the full and the compact view", () => {
    for (const slot of DESK_SLOTS) {
      expect(inside(deskHitBox(slot.index), VIEWBOX)).toBe(true);
      expect(inside(deskHitBox(slot.index), COMPACT_VIEWBOX)).toBe(true);
    }
  });

  it("puts nametags where they cannot cover one another", () => {
    const tag = (desk: number): Rect => {
      const a = labelAnchor(desk);
      return { x: a.x - 80, y: a.y - 12, width: 160, height: 36 };
    };
    for (let a = 0; a < DESK_COUNT; a++) {
      expect(inside(tag(a), VIEWBOX)).toBe(true);
      for (let b = a + 1; b < DESK_COUNT; b++) expect(overlaps(tag(a), tag(b))).toBe(false);
    }
  });

  it("rejects desks outside 0..7", () => {
    expect(() => deskAnchor(8)).toThrow(RangeError);
    expect(() => deskAnchor(-1)).toThrow(RangeError);
  });
});

describe("painter's order", () => {
  it("draws farther desks first, whatever order it is given", () => {
    const all = DESK_SLOTS.map((s) => s.index);
    const order = paintOrder([...all].reverse());
    expect(order).toEqual(paintOrder(all));
    for (let i = 1; i < order.length; i++) {
      expect(deskDepth(order[i] ?? 0)).toBeGreaterThanOrEqual(deskDepth(order[i - 1] ?? 0));
    }
  });

  it("draws a desk that covers another one later", () => {
    const order = paintOrder(DESK_SLOTS.map((s) => s.index));
    for (const a of DESK_SLOTS) {
      for (const b of DESK_SLOTS) {
        if (a.index === b.index || !overlaps(deskHitBox(a.index), deskHitBox(b.index))) continue;
        const nearer = deskAnchor(a.index).y > deskAnchor(b.index).y ? a.index : b.index;
        const farther = nearer === a.index ? b.index : a.index;
        expect(order.indexOf(nearer)).toBeGreaterThan(order.indexOf(farther));
      }
    }
  });
});

describe("drop targets", () => {
  it("finds each desk under its own character", () => {
    for (const slot of DESK_SLOTS) {
      const a = deskAnchor(slot.index);
      expect(dropTargetAt({ x: a.x + 30, y: a.y - 40 })).toEqual({ kind: "desk", desk: slot.index });
      expect(dropTargetAt({ x: a.x, y: a.y })).toEqual({ kind: "desk", desk: slot.index });
    }
  });

  it("finds the doors and nothing in the empty sky", () => {
    for (const [side, item] of [
      ["prev", WALL_ITEMS.prevDoor],
      ["next", WALL_ITEMS.nextDoor],
    ] as const) {
      const corners = wallItemCorners(item);
      const cx = corners.reduce((s, p) => s + p.x, 0) / corners.length;
      const cy = corners.reduce((s, p) => s + p.y, 0) / corners.length;
      expect(dropTargetAt({ x: cx, y: cy })).toEqual({ kind: "door", side });
    }
    expect(dropTargetAt({ x: VIEWBOX.x + 2, y: VIEWBOX.y + 2 })).toBeNull();
  });

  it("keeps doors clear of desks, so both stay reachable", () => {
    for (const item of [WALL_ITEMS.prevDoor, WALL_ITEMS.nextDoor]) {
      for (const p of wallItemCorners(item)) {
        for (const slot of DESK_SLOTS) expect(rectContains(deskHitBox(slot.index), p)).toBe(false);
      }
    }
    for (const side of ["prev", "next"] as const) {
      for (const slot of DESK_SLOTS) {
        const a = deskAnchor(slot.index);
        expect(polygonContains(doorHitPolygon(side), { x: a.x + 30, y: a.y - 40 })).toBe(false);
      }
    }
  });

  it("tests points against polygons", () => {
    const square = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 0, y: 10 },
    ];
    expect(polygonContains(square, { x: 5, y: 5 })).toBe(true);
    expect(polygonContains(square, { x: 15, y: 5 })).toBe(false);
  });
});

describe("wall items", () => {
  it("sit on their wall without overlapping each other", () => {
    const items = Object.values(WALL_ITEMS);
    for (const item of items) {
      expect(item.from).toBeGreaterThanOrEqual(0);
      expect(item.to).toBeLessThanOrEqual(item.wall === "left" ? ROOM_V : ROOM_U);
      expect(item.top).toBeLessThanOrEqual(WALL_HEIGHT);
      expect(item.bottom).toBeLessThan(item.top);
    }
    for (const a of items) {
      for (const b of items) {
        if (a === b || a.wall !== b.wall) continue;
        const apart = a.to <= b.from || b.to <= a.from || a.top <= b.bottom || b.top <= a.bottom;
        expect(apart).toBe(true);
      }
    }
  });
});

describe("text width estimate", () => {
  it("grows with length and weight", () => {
    expect(estimateTextWidth("Alice", 12)).toBeLessThan(estimateTextWidth("Alice Wonderland", 12));
    expect(estimateTextWidth("Alice", 12)).toBeLessThan(estimateTextWidth("Alice", 12, true));
    expect(estimateTextWidth("", 12)).toBe(0);
  });
});
