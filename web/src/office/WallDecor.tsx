/** Things on the walls that open parts of the app: the window, corkboard, rules sign and clock. */

import type { KeyboardEvent, ReactElement } from "react";
import { shade } from "./color";
import { paintUrl } from "./Defs";
import { WALL_ITEMS, wallItemTransform, wallItemWidth, type WallItem } from "./geometry";
import { clockHands, moonLitPath, moonPhase } from "./sky";
import { tint, type Palette } from "./theme";

/** Props that make an SVG group behave like a button for mouse, touch and keyboard. */
export function buttonProps(label: string, action: () => void, className: string) {
  return {
    className: `office-button ${className}`,
    role: "button",
    tabIndex: 0,
    "aria-label": label,
    onClick: action,
    onKeyDown: (e: KeyboardEvent<SVGGElement>) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        action();
      }
    },
  } as const;
}

function itemHeight(item: WallItem): number {
  return item.top - item.bottom;
}

export function WindowProp({ pal, now, onClick }: { pal: Palette; now: number; onClick(): void }): ReactElement {
  const item = WALL_ITEMS.window;
  const w = wallItemWidth(item);
  const h = itemHeight(item);
  const glassW = w - 16;
  const glassH = h - 16;
  const label = pal.dark ? "Window: night (switch to day)" : "Window: day (switch to night)";
  return (
    <g transform={wallItemTransform(item)} {...buttonProps(label, onClick, "window")}>
      <ellipse cx={w / 2} cy={h / 2 + 20} rx={w * 0.9} ry={h * 0.9} fill={paintUrl("window-light", pal)} />
      <rect x="-4" y="-4" width={w + 8} height={h + 8} rx="5" fill={shade(pal.paper, -0.1)} />
      <rect x="0" y="0" width={w} height={h} rx="3" fill={pal.paper} />
      <g transform="translate(8 8)">
        <rect width={glassW} height={glassH} fill={paintUrl("sky", pal)} />
        {pal.dark ? <NightSky w={glassW} h={glassH} now={now} /> : <DaySky w={glassW} h={glassH} />}
        <rect width={glassW} height="5" fill="#000000" opacity="0.12" />
        <rect width="4" height={glassH} fill="#000000" opacity="0.08" />
        <path d={`M${glassW * 0.62} 0 L${glassW * 0.78} 0 L${glassW * 0.42} ${glassH} L${glassW * 0.26} ${glassH} Z`} fill="#ffffff" opacity={pal.dark ? 0.05 : 0.12} />
      </g>
      <rect x={w / 2 - 2.5} y="6" width="5" height={h - 12} fill={pal.paper} />
      <rect x="6" y={h * 0.46} width={w - 12} height="5" fill={pal.paper} />
      <path d={`M-10 -8 Q${w * 0.12} ${h * 0.35} 4 ${h + 4} L-12 ${h + 4} Z`} fill={shade("#e58a8a", pal.dark ? -0.45 : 0)} />
      <path d={`M${w + 10} -8 Q${w * 0.88} ${h * 0.35} ${w - 4} ${h + 4} L${w + 12} ${h + 4} Z`} fill={shade("#e58a8a", pal.dark ? -0.5 : -0.08)} />
      <rect x="-14" y="-12" width={w + 28} height="5" rx="2.5" fill={pal.frame} />
      <rect x="-8" y={h + 2} width={w + 16} height="7" rx="2" fill={shade(pal.paper, -0.06)} />
      <g transform={`translate(${w * 0.78} ${h + 2})`}>
        <path d="M-5 -6 L5 -6 L4 0 L-4 0 Z" fill={pal.pot} />
        <circle cx="-2.5" cy="-9" r="3.2" fill={pal.plantLeaf} />
        <circle cx="2.5" cy="-9.5" r="3.4" fill={pal.plantLeafDark} />
        <circle cx="0" cy="-12" r="3" fill={pal.plantLeaf} />
      </g>
    </g>
  );
}

function DaySky({ w, h }: { w: number; h: number }): ReactElement {
  return (
    <g>
      <g transform={`translate(${w * 0.72} ${h * 0.28})`}>
        <circle className="sun-rays" r="17" fill="#ffe58a" opacity="0.45" />
        <circle r="11" fill="#ffd23f" />
      </g>
      <g className="cloud cloud-1" fill="#ffffff" opacity="0.95">
        <ellipse cx={w * 0.22} cy={h * 0.32} rx="13" ry="6" />
        <ellipse cx={w * 0.28} cy={h * 0.27} rx="8" ry="6" />
      </g>
      <g className="cloud cloud-2" fill="#ffffff" opacity="0.85">
        <ellipse cx={w * 0.55} cy={h * 0.7} rx="15" ry="5.5" />
        <ellipse cx={w * 0.6} cy={h * 0.65} rx="7" ry="5" />
      </g>
      <path d={`M0 ${h} L0 ${h - 12} Q${w * 0.2} ${h - 20} ${w * 0.4} ${h - 10} Q${w * 0.7} ${h - 22} ${w} ${h - 9} L${w} ${h} Z`} fill="#8fcf8a" />
    </g>
  );
}

const STARS: readonly (readonly [number, number, number])[] = [
  [0.12, 0.18, 1.1],
  [0.3, 0.4, 0.8],
  [0.45, 0.15, 1.2],
  [0.2, 0.7, 0.9],
  [0.58, 0.5, 0.7],
  [0.88, 0.65, 1],
  [0.38, 0.8, 0.7],
];

function NightSky({ w, h, now }: { w: number; h: number; now: number }): ReactElement {
  const r = 10;
  const lit = moonLitPath(moonPhase(now), r);
  return (
    <g>
      {STARS.map(([x, y, s], i) => (
        <circle key={i} className={`star star-${i % 3}`} cx={x * w} cy={y * h} r={s} fill="#fff8d6" />
      ))}
      <g transform={`translate(${w * 0.74} ${h * 0.3})`}>
        <circle r={r * 1.9} fill="#fff3c4" opacity="0.12" />
        <circle r={r} fill="#3a4270" />
        {lit !== "" && <path d={lit} fill="#fff3c4" />}
      </g>
      <path d={`M0 ${h} L0 ${h - 12} Q${w * 0.2} ${h - 20} ${w * 0.4} ${h - 10} Q${w * 0.7} ${h - 22} ${w} ${h - 9} L${w} ${h} Z`} fill="#1b2a3f" />
      <rect x={w * 0.15} y={h - 14} width="3" height="3" fill="#ffd86b" opacity="0.8" />
      <rect x={w * 0.62} y={h - 16} width="3" height="3" fill="#ffd86b" opacity="0.8" />
    </g>
  );
}

const NOTE_SPOTS = [
  { x: 14, y: 16, rot: -6, color: "#ffe66d" },
  { x: 44, y: 24, rot: 5, color: "#ff9fc2" },
  { x: 72, y: 13, rot: -3, color: "#9fe3c2" },
] as const;

export function Corkboard({ pal, openTasks, onClick }: { pal: Palette; openTasks: number; onClick(): void }): ReactElement {
  const item = WALL_ITEMS.corkboard;
  const w = wallItemWidth(item);
  const h = itemHeight(item);
  const notes = NOTE_SPOTS.slice(0, Math.max(0, Math.min(3, openTasks)));
  const label = openTasks === 0 ? "Tasks board: no open tasks" : `Tasks board: ${openTasks} open task${openTasks === 1 ? "" : "s"}`;
  return (
    <g transform={wallItemTransform(item)} {...buttonProps(label, onClick, "corkboard")}>
      <rect x="2" y="3" width={w} height={h} rx="4" fill="#000000" opacity="0.12" />
      <rect width={w} height={h} rx="4" fill={pal.frame} />
      <rect x="5" y="5" width={w - 10} height={h - 10} rx="2" fill={pal.cork} />
      {CORK_SPECKS.map(([x, y], i) => (
        <circle key={i} cx={5 + x * (w - 10)} cy={5 + y * (h - 10)} r="0.9" fill={shade(pal.cork, -0.2)} />
      ))}
      {notes.map((n, i) => (
        <g key={i} className="postit" transform={`translate(${n.x} ${n.y}) rotate(${n.rot})`}>
          <rect x="0.8" y="1.2" width="24" height="24" fill="#000000" opacity="0.12" />
          <rect width="24" height="24" fill={tint(n.color, pal)} />
          <path d="M4 9 h15 M4 13 h12 M4 17 h14" stroke="#00000033" strokeWidth="1.3" strokeLinecap="round" />
          <circle cx="12" cy="2.5" r="2.2" fill={i === 1 ? "#4d8fe8" : "#ec4d64"} />
        </g>
      ))}
      {openTasks > notes.length && (
        <g transform={`translate(${w - 30} ${h - 24}) rotate(-4)`}>
          <rect width="22" height="13" rx="2" fill={pal.paper} />
          <text x="11" y="9.6" textAnchor="middle" fontSize="8" fontWeight="800" fill={pal.ink} className="office-text">
            {openTasks - notes.length > 99 ? "99+" : `+${openTasks - notes.length}`}
          </text>
        </g>
      )}
    </g>
  );
}

const CORK_SPECKS: readonly (readonly [number, number])[] = [
  [0.1, 0.8],
  [0.25, 0.6],
  [0.4, 0.9],
  [0.55, 0.75],
  [0.7, 0.85],
  [0.85, 0.55],
  [0.95, 0.2],
  [0.6, 0.1],
  [0.32, 0.08],
  [0.05, 0.35],
];

export function RulesSign({ pal, hasRules, onClick }: { pal: Palette; hasRules: boolean; onClick(): void }): ReactElement {
  const item = WALL_ITEMS.sign;
  const w = wallItemWidth(item);
  const h = itemHeight(item);
  const label = hasRules ? "Office rules" : "Office rules: none written yet";
  return (
    <g transform={wallItemTransform(item)} {...buttonProps(label, onClick, "rules-sign")}>
      <rect x="2" y="3" width={w} height={h} rx="3" fill="#000000" opacity="0.12" />
      <rect width={w} height={h} rx="3" fill={shade(pal.frame, -0.1)} />
      <rect x="5" y="5" width={w - 10} height={h - 10} fill={pal.paper} />
      <text x={w / 2} y="17" textAnchor="middle" fontSize="7.6" fontWeight="800" fill={pal.ink} className="office-text">
        Office rules
      </text>
      <line x1="12" y1="21" x2={w - 12} y2="21" stroke={pal.ink} strokeWidth="0.8" opacity="0.5" />
      {hasRules ? (
        <g stroke={pal.ink} strokeWidth="1.6" strokeLinecap="round" opacity="0.45">
          {[29, 36, 43, 50, 57].map((y, i) => (
            <g key={y}>
              <circle cx="12" cy={y} r="0.9" />
              <line x1="16" y1={y} x2={w - 12 - (i % 2) * 8} y2={y} />
            </g>
          ))}
        </g>
      ) : (
        <text x={w / 2} y={h / 2 + 12} textAnchor="middle" fontSize="14" fill={pal.ink} opacity="0.18" className="office-text">
          +
        </text>
      )}
    </g>
  );
}

export function WallClock({ pal, now, onClick }: { pal: Palette; now: number; onClick(): void }): ReactElement {
  const item = WALL_ITEMS.clock;
  const w = wallItemWidth(item);
  const r = w / 2;
  const hands = clockHands(now);
  const time = new Date(now).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return (
    <g transform={wallItemTransform(item)} {...buttonProps(`Clock, ${time}: scheduled jobs`, onClick, "clock")}>
      <g transform={`translate(${r} ${r})`}>
        <circle cx="1.5" cy="2.5" r={r} fill="#000000" opacity="0.12" />
        <circle r={r} fill="#ef6f6c" />
        <circle r={r - 4} fill={pal.paper} />
        {Array.from({ length: 12 }, (_, i) => (
          <line
            key={i}
            y1={-(r - 6.5)}
            y2={-(r - (i % 3 === 0 ? 10.5 : 8.5))}
            transform={`rotate(${i * 30})`}
            stroke={pal.ink}
            strokeWidth={i % 3 === 0 ? 2 : 1}
            strokeLinecap="round"
          />
        ))}
        <line y1="2" y2={-(r - 13)} transform={`rotate(${hands.hour})`} stroke={pal.ink} strokeWidth="2.8" strokeLinecap="round" />
        <line y1="3" y2={-(r - 8)} transform={`rotate(${hands.minute})`} stroke={pal.ink} strokeWidth="1.8" strokeLinecap="round" />
        <circle r="2.2" fill="#ef6f6c" />
      </g>
    </g>
  );
}
