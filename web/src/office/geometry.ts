/**
 * Pure geometry of the office: the isometric projection, the room, the eight desk slots,
 * wall and floor prop anchors, painter's order and hit testing for drags.
 *
 * World coordinates: `u` runs along the right back wall (towards the lower right of the screen),
 * `v` along the left back wall (towards the lower left), `z` is height. The back corner of the
 * floor is the screen origin.
 */

export interface Point {
  x: number;
  y: number;
}

export interface FloorPoint {
  u: number;
  v: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Screen pixels per world unit along x; one unit along y is half of it (2:1 isometric). */
export const UNIT = 50;
export const ROOM_U = 7.2;
export const ROOM_V = 11;
export const WALL_HEIGHT = 230;
export const WALL_THICKNESS = 0.32;
export const FLOOR_THICKNESS = 18;
export const DESK_COUNT = 8;

export function project(u: number, v: number, z = 0): Point {
  return { x: (u - v) * UNIT, y: ((u + v) * UNIT) / 2 - z };
}

/** Inverse of `project` for points known to lie at height `z`. */
export function unproject(p: Point, z = 0): FloorPoint {
  const a = p.x / UNIT;
  const b = (2 * (p.y + z)) / UNIT;
  return { u: (b + a) / 2, v: (b - a) / 2 };
}

/** Painter's key: larger means nearer the viewer, drawn later. */
export function depth(u: number, v: number): number {
  return u + v;
}

export interface DeskSlot {
  index: number;
  row: number;
  col: number;
  u: number;
  v: number;
}

const COLUMN_U: readonly number[] = [2.3, 5.6];
const ROW_V: readonly number[] = [1.9, 4.4, 6.9, 9.4];

/** Desks are numbered back to front, left column first: 2 columns along `u`, 4 rows along `v`. */
export const DESK_SLOTS: readonly DeskSlot[] = Array.from({ length: DESK_COUNT }, (_, index) => {
  const row = Math.floor(index / 2);
  const col = index % 2;
  return { index, row, col, u: COLUMN_U[col] ?? 0, v: ROW_V[row] ?? 0 };
});

function deskSlot(desk: number): DeskSlot {
  const slot = DESK_SLOTS[desk];
  if (slot === undefined) throw new RangeError(`desk ${desk} is not in 0..${DESK_COUNT - 1}`);
  return slot;
}

/** Screen position of a desk's floor centre; the desk drawing is placed relative to it. */
export function deskAnchor(desk: number): Point {
  const slot = deskSlot(desk);
  return project(slot.u, slot.v);
}

export function deskDepth(desk: number): number {
  const slot = deskSlot(desk);
  return depth(slot.u, slot.v);
}

/** Desk indices in painter's order (farthest first). */
export function paintOrder(desks: readonly number[]): number[] {
  return [...desks].sort((a, b) => deskDepth(a) - deskDepth(b) || a - b);
}

/** The desk drawing's extent around its anchor: desk, chair, character and hat. */
export const DESK_BOX: Rect = { x: -68, y: -112, width: 136, height: 146 };

export function deskHitBox(desk: number): Rect {
  const a = deskAnchor(desk);
  return { x: a.x + DESK_BOX.x, y: a.y + DESK_BOX.y, width: DESK_BOX.width, height: DESK_BOX.height };
}

/** Where the nametag sits: across the desk's front, so it reads as the desk's own name plate. */
export function labelAnchor(desk: number): Point {
  const a = deskAnchor(desk);
  return { x: a.x, y: a.y + 24 };
}

export type Wall = "left" | "right";

/** A point on a back wall: the left wall is the plane u = 0, the right wall v = 0. */
export function wallPoint(wall: Wall, along: number, z: number): Point {
  return wall === "left" ? project(0, along, z) : project(along, 0, z);
}

/**
 * SVG transform putting a local frame on a wall: origin at (`along`, `z`), local x runs to the
 * right on screen along the wall (one unit per screen pixel), local y runs down.
 */
export function wallTransform(wall: Wall, along: number, z: number): string {
  const p = wallPoint(wall, along, z);
  const slope = wall === "left" ? -0.5 : 0.5;
  return `matrix(1 ${slope} 0 1 ${round(p.x)} ${round(p.y)})`;
}

/** SVG transform mapping local floor units (u, v) to the screen around a floor point. */
export function floorTransform(u: number, v: number, z = 0): string {
  const p = project(u, v, z);
  return `matrix(${UNIT} ${UNIT / 2} ${-UNIT} ${UNIT / 2} ${round(p.x)} ${round(p.y)})`;
}

/** A rectangle on a wall, in wall units: `from`..`to` along the wall, `bottom`..`top` in height. */
export interface WallItem {
  wall: Wall;
  from: number;
  to: number;
  bottom: number;
  top: number;
}

/** Screen width of a wall item in local wall-frame pixels. */
export function wallItemWidth(item: WallItem): number {
  return (item.to - item.from) * UNIT;
}

/**
 * The local frame of a wall item: origin at its top-left corner as seen on screen. On the left
 * wall screen-left is the far end (larger v), on the right wall it is the near end (smaller u).
 */
export function wallItemTransform(item: WallItem): string {
  const along = item.wall === "left" ? item.to : item.from;
  return wallTransform(item.wall, along, item.top);
}

export function wallItemCorners(item: WallItem): Point[] {
  return [
    wallPoint(item.wall, item.from, item.bottom),
    wallPoint(item.wall, item.to, item.bottom),
    wallPoint(item.wall, item.to, item.top),
    wallPoint(item.wall, item.from, item.top),
  ];
}

export const WALL_ITEMS = {
  neon: { wall: "left", from: 1.0, to: 3.7, bottom: 135, top: 195 },
  corkboard: { wall: "left", from: 4.2, to: 6.4, bottom: 88, top: 172 },
  sign: { wall: "left", from: 6.9, to: 8.1, bottom: 98, top: 176 },
  prevDoor: { wall: "left", from: 8.7, to: 10.3, bottom: 0, top: 150 },
  window: { wall: "right", from: 0.8, to: 3.4, bottom: 96, top: 200 },
  clock: { wall: "right", from: 3.68, to: 4.58, bottom: 128, top: 174 },
  nextDoor: { wall: "right", from: 5.35, to: 6.95, bottom: 0, top: 150 },
} as const satisfies Record<string, WallItem>;

export type WallItemName = keyof typeof WALL_ITEMS;

export type DoorSide = "prev" | "next";

export function doorItem(side: DoorSide): WallItem {
  return side === "prev" ? WALL_ITEMS.prevDoor : WALL_ITEMS.nextDoor;
}

/** The door's drop zone on screen: the door itself plus a strip of floor in front of it. */
export function doorHitPolygon(side: DoorSide): Point[] {
  const item = doorItem(side);
  const reach = 0.8;
  if (item.wall === "left") {
    return [
      project(0, item.from, item.top + 30),
      project(0, item.to, item.top + 30),
      project(0, item.to, 0),
      project(reach, item.to, 0),
      project(reach, item.from, 0),
      project(0, item.from, 0),
    ];
  }
  return [
    project(item.from, 0, item.top + 30),
    project(item.to, 0, item.top + 30),
    project(item.to, 0, 0),
    project(item.to, reach, 0),
    project(item.from, reach, 0),
    project(item.from, 0, 0),
  ];
}

/** Floor props: where they stand and how deep they sort among the desks. */
export const FLOOR_PROPS = {
  cornerPlant: { u: 0.55, v: 0.6 },
  cooler: { u: 4.15, v: 0.55 },
  doorPlant: { u: 0.55, v: 10.55 },
  shelf: { u: 0.45, v: 7.4 },
} as const satisfies Record<string, FloorPoint>;

/** The runner rug along the aisle between the two desk columns. */
export const RUG = { u0: 3.35, u1: 4.55, v0: 1.3, v1: 10.3 } as const;

export const VIEWBOX: Rect = (() => {
  const margin = 14;
  const left = project(0, ROOM_V + WALL_THICKNESS).x - margin;
  const right = project(ROOM_U + WALL_THICKNESS, 0).x + margin;
  const top = project(0, 0, WALL_HEIGHT + 14).y - margin;
  const bottom = project(ROOM_U, ROOM_V).y + FLOOR_THICKNESS + margin;
  return { x: left, y: top, width: right - left, height: bottom - top };
})();

/**
 * A tighter frame for narrow screens: the wall ends are cropped through the middle of each door
 * (half a door is still a door to tap or drop on), which enlarges everything else by about a quarter.
 */
export const COMPACT_VIEWBOX: Rect = (() => {
  const left = project(0, (WALL_ITEMS.prevDoor.from + WALL_ITEMS.prevDoor.to) / 2).x;
  const right = project((WALL_ITEMS.nextDoor.from + WALL_ITEMS.nextDoor.to) / 2, 0).x;
  const top = project(0, 0, WALL_HEIGHT + 14).y - 6;
  const bottom = VIEWBOX.y + VIEWBOX.height - 8;
  return { x: left, y: top, width: right - left, height: bottom - top };
})();

export function viewBoxAttr(rect: Rect): string {
  return [rect.x, rect.y, rect.width, rect.height].map(round).join(" ");
}

export function rectContains(rect: Rect, p: Point): boolean {
  return p.x >= rect.x && p.x <= rect.x + rect.width && p.y >= rect.y && p.y <= rect.y + rect.height;
}

/** Even-odd ray casting; points on an edge may fall either way. */
export function polygonContains(polygon: readonly Point[], p: Point): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a === undefined || b === undefined) continue;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) {
      inside = !inside;
    }
  }
  return inside;
}

export type DropTarget = { kind: "desk"; desk: number } | { kind: "door"; side: DoorSide };

/**
 * What a dragged agent would land on at screen point `p`: a door, or the front-most desk whose
 * drawing covers the point (the one the person sees on top).
 */
export function dropTargetAt(p: Point): DropTarget | null {
  for (const side of ["prev", "next"] as const) {
    if (polygonContains(doorHitPolygon(side), p)) return { kind: "door", side };
  }
  const hits = DESK_SLOTS.filter((slot) => rectContains(deskHitBox(slot.index), p)).map((s) => s.index);
  const front = paintOrder(hits).at(-1);
  return front === undefined ? null : { kind: "desk", desk: front };
}

/** The three visible faces of an axis-aligned box: its top, its +v face and its +u face. */
export interface BoxFaces {
  top: Point[];
  left: Point[];
  right: Point[];
}

export function boxFaces(u0: number, u1: number, v0: number, v1: number, z0: number, z1: number): BoxFaces {
  return {
    top: [project(u0, v0, z1), project(u1, v0, z1), project(u1, v1, z1), project(u0, v1, z1)],
    left: [project(u0, v1, z1), project(u1, v1, z1), project(u1, v1, z0), project(u0, v1, z0)],
    right: [project(u1, v0, z1), project(u1, v1, z1), project(u1, v1, z0), project(u1, v0, z0)],
  };
}

/** An SVG path for a floor ellipse (a circle of `radius` units on the floor, seen isometrically). */
export function floorEllipse(u: number, v: number, radius: number, z = 0): { cx: number; cy: number; rx: number; ry: number } {
  const c = project(u, v, z);
  return { cx: round(c.x), cy: round(c.y), rx: round(radius * UNIT * Math.SQRT2), ry: round((radius * UNIT * Math.SQRT2) / 2) };
}

export function pointsAttr(points: readonly Point[]): string {
  return points.map((p) => `${round(p.x)},${round(p.y)}`).join(" ");
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const NARROW = new Set(Array.from("iljtfr.,:;'|!· ()[]"));
const WIDE = new Set(Array.from("mwMW@%"));

/**
 * Approximate rendered width of `text` at `fontSize` in the scene's sans-serif font. SVG text
 * cannot be measured during render, so label boxes are sized from per-character averages and
 * erring wide.
 */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.34;
    else if (WIDE.has(ch)) em += 0.92;
    else if (ch >= "A" && ch <= "Z") em += 0.72;
    else if (ch.charCodeAt(0) > 0x2e80) em += 1.0;
    else em += 0.6;
  }
  return em * fontSize * (bold ? 1.08 : 1);
}
