/** Cozy floor decorations: potted plants, a water cooler and a low bookshelf with a cat asleep on top. */

import type { ReactElement } from "react";
import { shade } from "./color";
import { boxFaces, FLOOR_PROPS, pointsAttr, project } from "./geometry";
import type { Palette } from "./theme";

function at(point: { u: number; v: number }): string {
  const p = project(point.u, point.v);
  return `translate(${p.x} ${p.y})`;
}

export function BigPlant({ pal, where }: { pal: Palette; where: "cornerPlant" | "doorPlant" }): ReactElement {
  const leaf = pal.plantLeaf;
  const dark = pal.plantLeafDark;
  return (
    <g transform={at(FLOOR_PROPS[where])} className="big-plant">
      <ellipse cx="0" cy="2" rx="20" ry="9" fill={pal.shadow} />
      <g className="sway">
        <path d="M0 -34 C-14 -44 -30 -44 -34 -62 C-20 -60 -8 -52 0 -34 Z" fill={dark} />
        <path d="M0 -34 C10 -50 26 -52 32 -70 C16 -68 4 -56 0 -34 Z" fill={leaf} />
        <path d="M0 -34 C-6 -56 -2 -76 8 -88 C12 -72 8 -52 0 -34 Z" fill={leaf} />
        <path d="M0 -34 C-12 -58 -22 -66 -22 -82 C-10 -74 -2 -58 0 -34 Z" fill={shade(leaf, 0.1)} />
        <path d="M0 -34 C14 -40 30 -36 38 -46 C26 -50 12 -46 0 -34 Z" fill={shade(dark, 0.05)} />
        <path d="M0 -34 C-3 -52 -1 -66 8 -86" stroke={shade(dark, -0.2)} strokeWidth="1" fill="none" opacity="0.5" />
      </g>
      <path d="M-15 -36 L15 -36 L12 0 Q0 5 -12 0 Z" fill={pal.pot} />
      <path d="M0 -36 L15 -36 L12 0 Q6 3.5 0 4 Z" fill={shade(pal.pot, -0.15)} />
      <ellipse cx="0" cy="-36" rx="15" ry="5" fill={shade(pal.pot, 0.18)} />
      <ellipse cx="0" cy="-35.5" rx="12" ry="3.6" fill="#6b4530" />
      <path d="M-14 -26 Q0 -22 14 -26" stroke={shade(pal.pot, 0.3)} strokeWidth="2" fill="none" />
    </g>
  );
}

export function WaterCooler({ pal }: { pal: Palette }): ReactElement {
  const { u, v } = FLOOR_PROPS.cooler;
  const body = boxFaces(u - 0.3, u + 0.3, v - 0.3, v + 0.3, 0, 62);
  const top = project(u, v, 62);
  const tap = project(u + 0.1, v + 0.3, 44);
  return (
    <g className="cooler">
      <ellipse cx={project(u, v).x} cy={project(u, v).y + 2} rx="26" ry="11" fill={pal.shadow} />
      <polygon points={pointsAttr(body.left)} fill={shade(pal.paper, -0.1)} />
      <polygon points={pointsAttr(body.right)} fill={shade(pal.paper, -0.22)} />
      <polygon points={pointsAttr(body.top)} fill={pal.paper} />
      <rect x={tap.x - 6} y={tap.y - 3} width="12" height="10" rx="2" fill={shade(pal.paper, -0.3)} />
      <rect x={tap.x - 4} y={tap.y - 1} width="3" height="5" rx="1" fill="#4d8fe8" />
      <rect x={tap.x + 1} y={tap.y - 1} width="3" height="5" rx="1" fill="#ef6f6c" />
      <g transform={`translate(${top.x} ${top.y})`}>
        <path d="M-13 -2 L-13 -34 Q-13 -44 0 -44 Q13 -44 13 -34 L13 -2 Q0 4 -13 -2 Z" fill="#8fd3ff" opacity={pal.dark ? 0.55 : 0.75} />
        <path d="M-13 -14 L13 -14" stroke="#ffffff" strokeWidth="1" opacity="0.5" />
        <path d="M-8 -38 Q-9 -24 -8 -6" stroke="#ffffff" strokeWidth="2.4" opacity="0.55" fill="none" strokeLinecap="round" />
        <rect x="-5" y="-50" width="10" height="7" rx="2" fill="#4d8fe8" />
        <circle className="bubble" cx="3" cy="-10" r="1.6" fill="#ffffff" opacity="0.7" />
      </g>
    </g>
  );
}

const BOOK_COLORS = ["#ef6f6c", "#4d8fe8", "#f2b134", "#6cc5a0", "#9b7bd4", "#e58a4e", "#3f4d80", "#e87ea1"] as const;

export function Bookshelf({ pal, roomId }: { pal: Palette; roomId: string }): ReactElement {
  const { u, v } = FLOOR_PROPS.shelf;
  const u0 = u - 0.42;
  const u1 = u + 0.12;
  const v0 = v - 0.8;
  const v1 = v + 0.8;
  const faces = boxFaces(u0, u1, v0, v1, 0, 66);
  const shelves = [8, 36];
  const books: ReactElement[] = [];
  shelves.forEach((z, s) => {
    let along = v1 - 0.08;
    let i = s * 3;
    while (along > v0 + 0.2) {
      const thick = 0.1 + ((i * 7) % 3) * 0.03;
      const height = 20 + ((i * 5) % 4) * 2;
      const color = BOOK_COLORS[i % BOOK_COLORS.length] ?? "#ef6f6c";
      const a = project(u1, along, z + height);
      const b = project(u1, along - thick, z + height);
      const c = project(u1, along - thick, z);
      const d = project(u1, along, z);
      books.push(<polygon key={`${s}-${i}`} points={pointsAttr([a, b, c, d])} fill={pal.dark ? shade(color, -0.5) : color} />);
      along -= thick + 0.02;
      i += 1;
    }
  });
  const board = (z: number) => [project(u1, v1, z), project(u1, v0, z), project(u1, v0, z - 3), project(u1, v1, z - 3)];
  return (
    <g className="bookshelf">
      <polygon points={pointsAttr(faces.left)} fill={shade(pal.deskFront, -0.1)} />
      <polygon points={pointsAttr(faces.right)} fill={shade(pal.deskSide, -0.35)} />
      {books}
      {[8, 36, 66].map((z) => (
        <polygon key={z} points={pointsAttr(board(z))} fill={pal.deskSide} />
      ))}
      <polygon points={pointsAttr(faces.top)} fill={pal.deskTop} />
      <g transform={`translate(${project(u0 + 0.27, v - 0.55, 66).x} ${project(u0 + 0.27, v - 0.55, 66).y})`}>
        <path d="M-6 -9 L6 -9 L5 0 L-5 0 Z" fill={pal.pot} />
        <path d="M0 -9 C-3 -16 -9 -18 -11 -24 M0 -9 C2 -17 7 -19 9 -26 M0 -9 C0 -15 -1 -20 1 -27" stroke={pal.plantLeaf} strokeWidth="2.6" fill="none" strokeLinecap="round" />
      </g>
      <g transform={`translate(${project(u0 + 0.27, v + 0.25, 66).x} ${project(u0 + 0.27, v + 0.25, 66).y})`}>
        <SleepingCat pal={pal} roomId={roomId} />
      </g>
    </g>
  );
}

const CAT_COATS = [
  { fur: "#f4a259", stripe: "#d9803a" },
  { fur: "#6b6b78", stripe: "#4b4b57" },
  { fur: "#f3efe8", stripe: "#d8cfc2" },
  { fur: "#3b3434", stripe: "#2a2424" },
] as const;

/** Picks the cat's coat from the room id, so each room has its own cat. */
function catCoatIndex(roomId: string): number {
  let hash = 7;
  for (const ch of roomId) hash = (hash * 33 + ch.charCodeAt(0)) >>> 0;
  return hash % CAT_COATS.length;
}

function SleepingCat({ pal, roomId }: { pal: Palette; roomId: string }): ReactElement {
  const coat = CAT_COATS[catCoatIndex(roomId)] ?? CAT_COATS[0];
  const fur = pal.dark ? shade(coat.fur, -0.35) : coat.fur;
  const stripe = pal.dark ? shade(coat.stripe, -0.35) : coat.stripe;
  return (
    <g className="cat">
      <ellipse cx="0" cy="-1" rx="24" ry="8" fill={pal.dark ? "#4a3f6e" : "#b79de4"} />
      <g className="cat-breathe">
        <path d="M14 -2 C22 -2 24 -10 16 -12" stroke={fur} strokeWidth="5" fill="none" strokeLinecap="round" />
        <ellipse cx="0" cy="-8" rx="17" ry="10" fill={fur} />
        <path d="M-4 -17 Q-2 -9 -5 -1 M3 -17 Q5 -9 2 -1" stroke={stripe} strokeWidth="2" fill="none" strokeLinecap="round" />
        <g transform="translate(-13 -9)">
          <path d="M-7 -4 L-6 -13 L-1 -7 Z M3 -7 L7 -13 L7.5 -3 Z" fill={fur} />
          <path d="M-5.5 -6 L-5 -10.5 L-2.5 -7.5 Z" fill="#ffb4c0" />
          <ellipse cx="0" cy="0" rx="9" ry="7.5" fill={fur} />
          <path d="M-5 0 Q-3.5 1.6 -2 0 M2 0 Q3.5 1.6 5 0" stroke="#3a2a2a" strokeWidth="0.9" fill="none" strokeLinecap="round" />
          <circle cx="0" cy="2.6" r="0.9" fill="#e07a8a" />
        </g>
      </g>
      <g stroke="#9aa6e0" strokeWidth="1.3" fill="none" strokeLinecap="round" strokeLinejoin="round">
        <g transform="translate(-20 -26)">
          <path className="ch-z ch-z1" d="M0 0 H4.5 L0 5 H4.5" />
        </g>
        <g transform="translate(-20 -26)">
          <path className="ch-z ch-z3" d="M0 0 H4.5 L0 5 H4.5" />
        </g>
      </g>
    </g>
  );
}
