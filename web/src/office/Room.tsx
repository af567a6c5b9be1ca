/** The room shell: backdrop, the floor slab with planks, two back walls with wainscot and skirting, and the rug. */

import type { ReactElement } from "react";
import { shade } from "./color";
import { paintUrl } from "./Defs";
import { FLOOR_THICKNESS, floorTransform, WALL_ITEMS, pointsAttr, project, ROOM_U, ROOM_V, RUG, VIEWBOX, WALL_HEIGHT, WALL_THICKNESS, wallTransform } from "./geometry";
import type { Palette } from "./theme";

const RAIL_Z = 74;
const SKIRT_Z = 9;
const PLANK = 0.5;

export function Backdrop({ pal }: { pal: Palette }): ReactElement {
  const base = project(ROOM_U / 2, ROOM_V / 2);
  return (
    <g>
      <rect x={VIEWBOX.x} y={VIEWBOX.y} width={VIEWBOX.width} height={VIEWBOX.height} fill={paintUrl("backdrop", pal)} />
      <ellipse cx={base.x} cy={base.y + 40} rx={(ROOM_U + ROOM_V) * 30} ry={(ROOM_U + ROOM_V) * 13} fill={paintUrl("floor-shadow", pal)} />
      {pal.dark && (
        <g fill="#ffffff">
          {BACKDROP_STARS.map(([x, y, r], i) => (
            <circle key={i} className={`star star-${i % 3}`} cx={VIEWBOX.x + x * VIEWBOX.width} cy={VIEWBOX.y + y * VIEWBOX.height} r={r} />
          ))}
        </g>
      )}
    </g>
  );
}

const BACKDROP_STARS: readonly (readonly [number, number, number])[] = [
  [0.05, 0.08, 1.2],
  [0.12, 0.22, 0.8],
  [0.9, 0.06, 1.1],
  [0.95, 0.3, 0.9],
  [0.82, 0.14, 0.7],
  [0.07, 0.45, 0.7],
  [0.97, 0.55, 1],
  [0.16, 0.05, 0.9],
];

function Planks({ pal }: { pal: Palette }): ReactElement {
  const rows: ReactElement[] = [];
  let joints = "";
  const count = Math.ceil(ROOM_V / PLANK);
  for (let k = 0; k < count; k++) {
    const v0 = k * PLANK;
    const v1 = Math.min(ROOM_V, v0 + PLANK);
    if (k % 2 === 1) {
      rows.push(
        <polygon
          key={k}
          points={pointsAttr([project(0, v0), project(ROOM_U, v0), project(ROOM_U, v1), project(0, v1)])}
          fill={shade(pal.floor, 0.05)}
        />,
      );
    }
    const a = project(0, v0);
    const b = project(ROOM_U, v0);
    if (k > 0) joints += `M${a.x} ${a.y} L${b.x} ${b.y} `;
    for (let u = ((k * 1.3) % 2.6) + 0.6; u < ROOM_U - 0.2; u += 2.6) {
      const p = project(u, v0);
      const q = project(u, v1);
      joints += `M${p.x} ${p.y} L${q.x} ${q.y} `;
    }
  }
  return (
    <g>
      {rows}
      <path d={joints} stroke={pal.floorLine} strokeWidth="1" fill="none" opacity="0.7" />
    </g>
  );
}

export function Floor({ pal }: { pal: Palette }): ReactElement {
  const t = -FLOOR_THICKNESS;
  const top = [project(0, 0), project(ROOM_U, 0), project(ROOM_U, ROOM_V), project(0, ROOM_V)];
  const leftSide = [project(-WALL_THICKNESS, ROOM_V), project(ROOM_U, ROOM_V), project(ROOM_U, ROOM_V, t), project(-WALL_THICKNESS, ROOM_V, t)];
  const rightSide = [project(ROOM_U, -WALL_THICKNESS), project(ROOM_U, ROOM_V), project(ROOM_U, ROOM_V, t), project(ROOM_U, -WALL_THICKNESS, t)];
  return (
    <g>
      <polygon points={pointsAttr(leftSide)} fill={pal.floorSideLeft} />
      <polygon points={pointsAttr(rightSide)} fill={pal.floorSideRight} />
      <polygon points={pointsAttr(top)} fill={pal.floor} />
      <Planks pal={pal} />
      <g transform={floorTransform(0, 0)}>
        <rect x="0" y="0" width={ROOM_U} height="0.9" fill={paintUrl("ao-v", pal)} />
        <rect x="0" y="0" width="0.9" height={ROOM_V} fill={paintUrl("ao-u", pal)} />
      </g>
      <polyline
        points={pointsAttr([project(0, ROOM_V), project(ROOM_U, ROOM_V), project(ROOM_U, 0)])}
        fill="none"
        stroke={shade(pal.floor, 0.25)}
        strokeWidth="1.4"
      />
    </g>
  );
}

function WallFace({ pal, wall, length }: { pal: Palette; wall: "left" | "right"; length: number }): ReactElement {
  const width = length * 50;
  const paper = wall === "left" ? pal.wallLeft : pal.wallRight;
  const wainscot = wall === "left" ? pal.wainscotLeft : pal.wainscotRight;
  const transform = wall === "left" ? wallTransform("left", ROOM_V, WALL_HEIGHT) : wallTransform("right", 0, WALL_HEIGHT);
  let grooves = "";
  for (let x = 14; x < width - 4; x += 18) grooves += `M${x} ${WALL_HEIGHT - RAIL_Z + 6} V${WALL_HEIGHT - SKIRT_Z - 1} `;
  return (
    <g transform={transform}>
      <rect width={width} height={WALL_HEIGHT} fill={paper} />
      <rect width={width} height={WALL_HEIGHT - RAIL_Z} fill={paintUrl(`wallpaper-${wall}`, pal)} />
      <rect y={WALL_HEIGHT - RAIL_Z} width={width} height={RAIL_Z} fill={wainscot} />
      <path d={grooves} stroke={shade(wainscot, -0.12)} strokeWidth="1.2" />
      <rect y={WALL_HEIGHT - RAIL_Z - 3} width={width} height="6" rx="1" fill={pal.rail} />
      <rect y={WALL_HEIGHT - RAIL_Z + 3} width={width} height="1.5" fill={shade(wainscot, -0.2)} opacity="0.5" />
      <rect y={WALL_HEIGHT - SKIRT_Z} width={width} height={SKIRT_Z} fill={pal.skirting} />
      <rect y={WALL_HEIGHT - SKIRT_Z} width={width} height="1.5" fill={shade(pal.skirting, 0.25)} />
      {wall === "left" && <rect x={width - 26} width="26" height={WALL_HEIGHT} fill={paintUrl("corner-shade", pal)} />}
    </g>
  );
}

export function Walls({ pal }: { pal: Palette }): ReactElement {
  const h = WALL_HEIGHT;
  const w = WALL_THICKNESS;
  const t = -FLOOR_THICKNESS;
  const capLeft = [project(-w, -w, h), project(0, 0, h), project(0, ROOM_V, h), project(-w, ROOM_V, h)];
  const capRight = [project(-w, -w, h), project(ROOM_U, -w, h), project(ROOM_U, 0, h), project(0, 0, h)];
  const endLeft = [project(-w, ROOM_V, h), project(0, ROOM_V, h), project(0, ROOM_V, t), project(-w, ROOM_V, t)];
  const endRight = [project(ROOM_U, -w, h), project(ROOM_U, 0, h), project(ROOM_U, 0, t), project(ROOM_U, -w, t)];
  return (
    <g>
      <WallFace pal={pal} wall="left" length={ROOM_V} />
      <WallFace pal={pal} wall="right" length={ROOM_U} />
      <polygon points={pointsAttr(endLeft)} fill={pal.wallEdge} />
      <polygon points={pointsAttr(endRight)} fill={shade(pal.wallEdge, -0.1)} />
      <polygon points={pointsAttr(capLeft)} fill={pal.wallCap} />
      <polygon points={pointsAttr(capRight)} fill={pal.wallCap} />
      <line {...lineAttrs(project(0, 0, 0), project(0, 0, h))} stroke={shade(pal.wallLeft, -0.12)} strokeWidth="1" />
    </g>
  );
}

function lineAttrs(a: { x: number; y: number }, b: { x: number; y: number }) {
  return { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
}

/** Light falling through the window onto the floor: warm by day, a faint blue by night. */
export function WindowLight({ pal }: { pal: Palette }): ReactElement {
  const { from, to } = WALL_ITEMS.window;
  const shift = 0.9;
  const depth = 2.1;
  const points = `${from + 0.1},0.05 ${to - 0.1},0.05 ${to - 0.1 + shift},${depth} ${from + 0.1 + shift},${depth}`;
  return (
    <g transform={floorTransform(0, 0)}>
      <polygon points={points} fill={pal.dark ? "#9fb4ff" : "#fff3c4"} opacity={pal.dark ? 0.07 : 0.32} />
      <line x1={(from + to) / 2 + 0.05} y1="0.05" x2={(from + to) / 2 + 0.05 + shift} y2={depth} stroke={pal.floor} strokeWidth="0.08" opacity="0.6" />
    </g>
  );
}

/** A long runner down the aisle, with a border and a row of dots. */
export function Rug({ pal }: { pal: Palette }): ReactElement {
  const { u0, u1, v0, v1 } = RUG;
  const mid = (u0 + u1) / 2;
  const dots: ReactElement[] = [];
  for (let v = v0 + 0.7; v < v1 - 0.4; v += 0.75) {
    dots.push(
      <circle key={v} cx={mid} cy={v} r="0.12" fill={pal.rugBorder} opacity="0.6" />,
    );
  }
  let fringe = "";
  for (let u = u0 + 0.08; u <= u1 - 0.05; u += 0.1) fringe += `M${u} ${v0} V${v0 - 0.12} M${u} ${v1} V${v1 + 0.12} `;
  return (
    <g transform={floorTransform(0, 0)}>
      <path d={fringe} stroke={pal.rugBorder} strokeWidth="0.03" />
      <rect x={u0} y={v0} width={u1 - u0} height={v1 - v0} rx="0.08" fill={pal.rug} />
      <rect x={u0 + 0.1} y={v0 + 0.1} width={u1 - u0 - 0.2} height={v1 - v0 - 0.2} rx="0.05" fill="none" stroke={pal.rugBorder} strokeWidth="0.05" />
      <rect x={u0 + 0.18} y={v0 + 0.18} width={u1 - u0 - 0.36} height={v1 - v0 - 0.36} fill="none" stroke={pal.rugPattern} strokeWidth="0.025" />
      {dots}
    </g>
  );
}
