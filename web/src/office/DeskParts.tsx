/**
 * Furniture of one desk: the desk itself, chair, monitor, keyboard, lamp and the little things
 * on top. Coordinates are relative to the desk's floor anchor (world offsets through `project`).
 */

import type { ReactElement } from "react";
import { shade } from "./color";
import { boxFaces, pointsAttr, project, type BoxFaces, type Point } from "./geometry";
import type { Glow } from "./status";
import { SCREEN, tint, type Palette } from "./theme";

/** The desk top's height and the hip of the seated character, on the desk's back edge. */
export const DESK_TOP_Z = 35;
export const CHARACTER_ORIGIN: Point = { x: 33.5, y: -40.5 };

function Poly({ points, fill, opacity }: { points: Point[]; fill: string; opacity?: number }): ReactElement {
  return <polygon points={pointsAttr(points)} fill={fill} opacity={opacity} />;
}

function Box({ faces, top, left, right }: { faces: BoxFaces; top: string; left: string; right: string }): ReactElement {
  return (
    <g>
      <Poly points={faces.left} fill={left} />
      <Poly points={faces.right} fill={right} />
      <Poly points={faces.top} fill={top} />
    </g>
  );
}

/** An SVG transform for a plane facing +v (like the monitor's screen) with its top-left at a world point. */
function facingLeft(u: number, v: number, z: number): string {
  const p = project(u, v, z);
  return `matrix(1 0.5 0 1 ${p.x} ${p.y})`;
}

export function DeskShadow({ pal }: { pal: Palette }): ReactElement {
  const pts = [project(-0.95, -0.95), project(1.0, -0.95), project(1.0, 0.62), project(-0.95, 0.62)];
  return <Poly points={pts} fill={pal.shadow} />;
}

export function DeskBody({ pal }: { pal: Palette }): ReactElement {
  const z = DESK_TOP_Z;
  const pedestal = boxFaces(0.24, 0.78, -0.4, 0.4, 0, z - 5);
  const drawerFace = (zTop: number, zBottom: number) => [
    project(0.29, 0.4, zTop),
    project(0.73, 0.4, zTop),
    project(0.73, 0.4, zBottom),
    project(0.29, 0.4, zBottom),
  ];
  const handle = (zc: number) => [project(0.44, 0.4, zc), project(0.58, 0.4, zc)];
  return (
    <g>
      <Box faces={boxFaces(-0.7, 0.24, -0.2, -0.15, 8, z - 5)} top={pal.deskSide} left={shade(pal.deskFront, -0.18)} right={pal.deskSide} />
      <Box faces={boxFaces(-0.78, -0.68, -0.4, 0.4, 0, z - 5)} top={pal.deskTop} left={pal.deskFront} right={pal.deskSide} />
      <Box faces={pedestal} top={pal.deskTop} left={pal.deskFront} right={pal.deskSide} />
      <Poly points={drawerFace(z - 9, z - 17)} fill={shade(pal.deskFront, 0.1)} />
      <Poly points={drawerFace(z - 20, z - 28)} fill={shade(pal.deskFront, 0.1)} />
      {[z - 13, z - 24].map((zc) => {
        const [a, b] = handle(zc);
        return a && b ? <line key={zc} x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke={pal.metal} strokeWidth="1.6" strokeLinecap="round" /> : null;
      })}
      <Box faces={boxFaces(-0.82, 0.82, -0.46, 0.46, z - 5, z)} top={pal.deskTop} left={pal.deskFront} right={pal.deskSide} />
      <polyline
        points={pointsAttr([project(-0.82, 0.46, z), project(0.82, 0.46, z), project(0.82, -0.46, z)])}
        fill="none"
        stroke={pal.deskEdge}
        strokeWidth="1"
        strokeLinejoin="round"
      />
    </g>
  );
}

/** The chair back, seen from the front behind the character (character coordinates). */
export function ChairBack({ pal }: { pal: Palette }): ReactElement {
  return (
    <g>
      <rect x="-17" y="-37" width="34" height="46" rx="9" fill={pal.chair} />
      <rect x="-13" y="-33" width="26" height="36" rx="7" fill={shade(pal.chair, 0.14)} />
    </g>
  );
}

export function Keyboard({ pal }: { pal: Palette }): ReactElement {
  const z = DESK_TOP_Z;
  const faces = boxFaces(0.08, 0.58, -0.43, -0.25, z, z + 1.6);
  const keys = [];
  for (let i = 0; i < 5; i++) {
    const u = 0.13 + i * 0.09;
    const a = project(u, -0.4, z + 1.7);
    const b = project(u, -0.28, z + 1.7);
    keys.push(<line key={i} x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke={shade(pal.paper, -0.2)} strokeWidth="2.6" strokeLinecap="round" />);
  }
  return (
    <g>
      <Box faces={faces} top={shade(pal.paper, -0.04)} left={shade(pal.paper, -0.2)} right={shade(pal.paper, -0.28)} />
      {keys}
    </g>
  );
}

interface MonitorProps {
  pal: Palette;
  glow: Glow;
  demo: boolean;
  working: boolean;
}

const MON = { u0: -0.8, u1: -0.08, v: -0.24, z0: 45, z1: 79 } as const;

export function Monitor({ pal, glow, demo, working }: MonitorProps): ReactElement {
  const z = DESK_TOP_Z;
  const screen = SCREEN[glow];
  const width = (MON.u1 - MON.u0 - 0.08) * 50;
  const height = MON.z1 - MON.z0 - 6;
  const centre = project((MON.u0 + MON.u1) / 2, MON.v, (MON.z0 + MON.z1) / 2);
  const lines = working ? CODE_LINES : glow === "idle" ? [] : STATIC_LINES;
  return (
    <g className={`monitor monitor--${glow}`}>
      {glow !== "idle" && (
        <ellipse className="monitor-halo" cx={centre.x} cy={centre.y} rx="40" ry="30" fill={`url(#office-glow-${glow})`} />
      )}
      <Box faces={boxFaces(-0.6, -0.26, -0.44, -0.2, z, z + 1.6)} top={pal.metal} left={shade(pal.metal, -0.2)} right={shade(pal.metal, -0.3)} />
      <Box faces={boxFaces(-0.47, -0.39, -0.36, -0.3, z, MON.z0 + 2)} top={pal.metal} left={shade(pal.metal, -0.15)} right={shade(pal.metal, -0.3)} />
      <Box faces={boxFaces(MON.u0, MON.u1, MON.v - 0.06, MON.v, MON.z0, MON.z1)} top={shade(pal.bezel, 0.2)} left={pal.bezel} right={shade(pal.bezel, -0.25)} />
      <g transform={facingLeft(MON.u0 + 0.04, MON.v, MON.z1 - 3)}>
        <rect className="monitor-screen" width={width} height={height} rx="1.5" fill={screen.face} />
        <rect width={width} height={height} rx="1.5" fill={screen.glow} opacity={glow === "idle" ? 0.15 : 0.55} />
        {lines.map(([x, y, w], i) => (
          <rect
            key={`${x},${y}`}
            className={working ? `code-line code-line-${i % 4}` : undefined}
            x={x}
            y={y}
            width={w}
            height="1.8"
            rx="0.9"
            fill={screen.line}
          />
        ))}
        {glow === "waiting" && <path d="M13 17 l4 4 l7 -9" stroke={screen.line} strokeWidth="2.2" fill="none" strokeLinecap="round" strokeLinejoin="round" />}
        {glow === "error" && <path d="M14 11 l8 8 M22 11 l-8 8" stroke={screen.line} strokeWidth="2.2" strokeLinecap="round" />}
        <path d={`M2 2 L${width * 0.42} 2 L2 ${height * 0.5} Z`} fill="#ffffff" opacity="0.08" />
        {demo && (
          <g className="demo-sticker" transform={`translate(2 ${height - 3}) rotate(-8)`}>
            <rect x="-1" y="-4.5" width="15" height="8" rx="1.6" fill="#ffd84d" stroke="#d4a514" strokeWidth="0.5" />
            <text x="6.5" y="1.6" textAnchor="middle" fontSize="5.6" fontWeight="700" fill="#5a4300" className="office-text">
              demo
            </text>
          </g>
        )}
      </g>
    </g>
  );
}

const CODE_LINES: readonly (readonly [number, number, number])[] = [
  [3, 4, 14],
  [6, 8, 18],
  [6, 12, 10],
  [9, 16, 16],
  [6, 20, 12],
  [3, 24, 8],
];

const STATIC_LINES: readonly (readonly [number, number, number])[] = [
  [3, 4, 10],
  [3, 8, 6],
];

/** A desk lamp on the back corner, reaching over the monitor; it shines at night. */
export function Lamp({ pal }: { pal: Palette }): ReactElement {
  const base = project(-0.7, -0.4, DESK_TOP_Z);
  const head = { x: base.x + 22, y: base.y - 50 };
  return (
    <g className="lamp">
      {pal.dark && (
        <>
          <ellipse cx={head.x + 10} cy={head.y + 46} rx="30" ry="12" fill={pal.lampGlow} opacity="0.2" />
          <polygon
            points={pointsAttr([
              { x: head.x - 4, y: head.y + 4 },
              { x: head.x + 10, y: head.y + 2 },
              { x: head.x + 34, y: head.y + 44 },
              { x: head.x - 16, y: head.y + 46 },
            ])}
            fill={pal.lampGlow}
            opacity="0.16"
          />
          <circle cx={head.x + 3} cy={head.y + 5} r="16" fill="url(#office-lamp-glow)" />
        </>
      )}
      <ellipse cx={base.x} cy={base.y} rx="6" ry="3" fill={shade(pal.chair, -0.1)} />
      <path
        d={`M${base.x} ${base.y} L${base.x} ${base.y - 34} Q${base.x + 2} ${base.y - 52} ${head.x - 2} ${head.y - 2}`}
        stroke={shade(pal.chair, -0.1)}
        strokeWidth="2.2"
        fill="none"
        strokeLinecap="round"
      />
      <path
        d={`M${head.x - 7} ${head.y + 4} Q${head.x - 3} ${head.y - 8} ${head.x + 8} ${head.y - 3} L${head.x + 12} ${head.y + 4} Z`}
        fill={pal.dark ? "#ffcf6b" : "#f07c5a"}
      />
      {pal.dark && <ellipse cx={head.x + 2.5} cy={head.y + 4} rx="8" ry="2.4" fill="#fff5c8" />}
    </g>
  );
}

/** A mug; steam curls up while its owner works. */
export function Mug({ steaming, color }: { steaming: boolean; color: string }): ReactElement {
  const p = project(-0.52, 0.22, DESK_TOP_Z);
  return (
    <g transform={`translate(${p.x} ${p.y})`}>
      {steaming && (
        <g className="steam" stroke="#ffffff" strokeWidth="1.3" fill="none" strokeLinecap="round" opacity="0.8">
          <path className="steam-1" d="M-2 -14 q-2 -3 0 -6 q2 -3 0 -6" />
          <path className="steam-2" d="M2 -14 q-2 -3 0 -6 q2 -3 0 -6" />
        </g>
      )}
      <path d="M4.5 -8 q5 0 5 4 q0 4 -5 4" stroke={shade(color, -0.2)} strokeWidth="1.8" fill="none" />
      <path d="M-5 -10 L-5 -1 Q0 2.5 5 -1 L5 -10 Z" fill={color} />
      <ellipse cx="0" cy="-10" rx="5" ry="2.2" fill={shade(color, 0.25)} />
      <ellipse cx="0" cy="-9.7" rx="3.9" ry="1.5" fill="#6b4228" />
      <path d="M-3.5 -7 L-3.5 -2" stroke="#ffffff" strokeWidth="1" opacity="0.45" strokeLinecap="round" />
    </g>
  );
}

export function DeskPlant({ pal, cactus }: { pal: Palette; cactus: boolean }): ReactElement {
  const p = project(-0.5, 0.22, DESK_TOP_Z);
  return (
    <g transform={`translate(${p.x} ${p.y})`}>
      {cactus ? (
        <g fill={pal.plantLeaf}>
          <rect x="-3" y="-19" width="6" height="14" rx="3" />
          <rect x="-7.5" y="-14" width="4" height="7" rx="2" />
          <rect x="3.5" y="-16" width="4" height="7" rx="2" />
          <circle cx="0" cy="-19.5" r="1.6" fill="#ff86a8" />
        </g>
      ) : (
        <g>
          <path d="M0 -6 C-9 -9 -10 -17 -8 -20 C-4 -16 -1 -12 0 -6 Z" fill={pal.plantLeafDark} />
          <path d="M0 -6 C8 -9 10 -16 8 -20 C4 -16 1 -12 0 -6 Z" fill={pal.plantLeaf} />
          <path d="M0 -6 C-2 -13 -1 -20 1 -24 C3 -19 3 -12 0 -6 Z" fill={pal.plantLeaf} />
        </g>
      )}
      <path d="M-5.5 -6 L5.5 -6 L4.2 1 Q0 2.6 -4.2 1 Z" fill={pal.pot} />
      <ellipse cx="0" cy="-6" rx="5.5" ry="1.8" fill={shade(pal.pot, 0.2)} />
    </g>
  );
}

/** A book for Opus agents. */
export function Book({ pal }: { pal: Palette }): ReactElement {
  const z = DESK_TOP_Z;
  return (
    <g className="desk-book">
      <Box faces={boxFaces(-0.28, 0.12, 0.06, 0.36, z, z + 4)} top={tint("#4a6fd0", pal)} left={pal.paper} right={shade(pal.paper, -0.12)} />
      <Box faces={boxFaces(-0.24, 0.1, 0.1, 0.34, z + 4, z + 7)} top={tint("#d65f5f", pal)} left={pal.paper} right={shade(pal.paper, -0.12)} />
      <line
        x1={project(-0.2, 0.22, z + 7).x}
        y1={project(-0.2, 0.22, z + 7).y}
        x2={project(0.04, 0.22, z + 7).x}
        y2={project(0.04, 0.22, z + 7).y}
        stroke={tint("#f7c948", pal)}
        strokeWidth="1.2"
      />
    </g>
  );
}

const CRAYONS = ["#ff5d73", "#ffb02e", "#4cc38a", "#4d8fe8"] as const;

/** Crayons for Haiku agents. */
export function Crayons({ pal }: { pal: Palette }): ReactElement {
  const z = DESK_TOP_Z + 1.2;
  return (
    <g className="desk-crayons" strokeLinecap="round">
      {CRAYONS.map((raw, i) => {
        const color = tint(raw, pal);
        const v = 0.1 + i * 0.07;
        const a = project(-0.3 + i * 0.03, v, z);
        const b = project(0.05 + i * 0.03, v, z);
        return (
          <g key={raw}>
            <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke={color} strokeWidth="2.6" />
            <line x1={b.x - 2} y1={b.y - 1} x2={b.x} y2={b.y} stroke={shade(color, -0.3)} strokeWidth="2.6" />
          </g>
        );
      })}
    </g>
  );
}

/** Sticky notes on the monitor's side. */
export function StickyNote({ pal }: { pal: Palette }): ReactElement {
  return (
    <g transform={facingLeft(-0.14, -0.2, 66)}>
      <rect width="8" height="8" fill={tint("#ffe66d", pal)} transform="rotate(6)" />
      <path d="M1.5 3 h5 M1.5 5 h3.5" stroke="#b89b2a" strokeWidth="0.7" transform="rotate(6)" />
    </g>
  );
}
