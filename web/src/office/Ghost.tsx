/**
 * Visitors: every other browser looking at an agent's chat floats beside that agent's desk as a
 * small ghost in its person's colour, with a speech bubble while they type. Hovering a ghost
 * shows who it is ("Bob · Phone"). The same ghost, on its own, shows who is here in the top bar
 * and the chat header, and welcomes people on the sign-in pages.
 */

import { memo, type ReactElement } from "react";
import { DESK_SLOTS, estimateTextWidth, project, round } from "./geometry";
import { palette } from "./theme";
import type { SceneVisitor } from "./types";

/** How high ghosts float above the floor: about the seated agents' shoulders. */
const FLOAT_Z = 64;
const SCALE = 1.2;
/** A desk shows this many ghosts and a "+N" tag for the rest (a fourth ghost takes the tag's place). */
export const MAX_GHOSTS_PER_DESK = 3;
const BODY = "M-12 8 V-4 A12 12 0 0 1 12 -4 V8 Q9 13 6 8 Q3 3 0 8 Q-3 13 -6 8 Q-9 3 -12 8 Z";

function ghostColors(hue: number): { rim: string; bow: string; cheek: string } {
  return { rim: `hsl(${hue} 55% 62%)`, bow: `hsl(${hue} 78% 60%)`, cheek: `hsl(${(hue + 340) % 360} 85% 78%)` };
}

/** The ghost itself, centred on its middle, about 24 × 26 units. */
export function GhostShape({ hue, typing = false }: { hue: number; typing?: boolean }): ReactElement {
  const c = ghostColors(hue);
  return (
    <g className="ghost-shape">
      <path d={BODY} fill="#fdfcff" fillOpacity="0.94" stroke={c.rim} strokeWidth="1.5" strokeLinejoin="round" />
      <ellipse cx="-5.5" cy="-9.5" rx="3.2" ry="2" fill="#ffffff" opacity="0.9" transform="rotate(-25 -5.5 -9.5)" />
      <ellipse className="ghost-arm ghost-arm--left" cx="-12.6" cy="1.5" rx="2.4" ry="3.6" fill="#fdfcff" stroke={c.rim} strokeWidth="1.2" />
      <ellipse className="ghost-arm ghost-arm--right" cx="12.6" cy="1.5" rx="2.4" ry="3.6" fill="#fdfcff" stroke={c.rim} strokeWidth="1.2" />
      <ellipse cx="-4.3" cy="-3.5" rx="1.8" ry="2.4" fill="#2d2a4a" />
      <ellipse cx="4.3" cy="-3.5" rx="1.8" ry="2.4" fill="#2d2a4a" />
      <circle cx="-3.7" cy="-4.4" r="0.65" fill="#ffffff" />
      <circle cx="4.9" cy="-4.4" r="0.65" fill="#ffffff" />
      <ellipse cx="-7.6" cy="1" rx="2.3" ry="1.3" fill={c.cheek} opacity="0.85" />
      <ellipse cx="7.6" cy="1" rx="2.3" ry="1.3" fill={c.cheek} opacity="0.85" />
      <path d={typing ? "M-1.6 0.2 Q0 2.4 1.6 0.2 Z" : "M-1.8 0.1 Q0 1.9 1.8 0.1"} fill={typing ? "#2d2a4a" : "none"} stroke="#2d2a4a" strokeWidth="1" strokeLinecap="round" />
      <g transform="translate(7.5 -13.5) rotate(20)">
        <path d="M0 0 L-4 -2.6 L-4 2.6 Z M0 0 L4 -2.6 L4 2.6 Z" fill={c.bow} stroke={c.bow} strokeWidth="0.8" strokeLinejoin="round" />
        <circle r="1.3" fill={c.bow} />
      </g>
    </g>
  );
}

function TypingBubble(): ReactElement {
  return (
    <g className="ghost-typing" transform="translate(13 -22)">
      <path d="M-11 -6 H11 A4 4 0 0 1 11 6 H-4 L-8 10 L-7 6 H-11 A4 4 0 0 1 -11 -6 Z" fill="#ffffff" stroke="#c9c3dd" strokeWidth="1" />
      <circle className="ch-dot" cx="-5" cy="0" r="1.6" fill="#6b6290" />
      <circle className="ch-dot ch-dot2" cx="0" cy="0" r="1.6" fill="#6b6290" />
      <circle className="ch-dot ch-dot3" cx="5" cy="0" r="1.6" fill="#6b6290" />
    </g>
  );
}

/** A name tag over the ghost, shown while it is hovered. */
function Tag({ text, dark }: { text: string; dark: boolean }): ReactElement {
  const pal = palette(dark);
  const width = estimateTextWidth(text, 10.5, true) + 16;
  return (
    <g className="ghost-tag" transform="translate(0 -30)">
      <rect x={-width / 2} y={-9} width={width} height={18} rx={9} fill={pal.labelBg} stroke={pal.labelMuted} strokeWidth="0.8" />
      <text y={3.8} textAnchor="middle" fontSize="10.5" fontWeight="700" fill={pal.labelText} className="office-text">
        {text}
      </text>
    </g>
  );
}

/**
 * Where the `index`-th ghost of a desk floats: at the seated agent's shoulder, on the side away
 * from its monitor; each extra ghost a little further back and higher, so a small crowd stays
 * readable.
 */
export function ghostSpot(desk: number, index: number): { x: number; y: number; floorY: number } {
  const slot = DESK_SLOTS[desk];
  if (slot === undefined) throw new RangeError(`desk ${desk} is not in the room`);
  const u = slot.u + 1.0 + index * 0.1;
  const v = slot.v - 0.35 - index * 0.55;
  const air = project(u, v, FLOAT_Z + index * 12);
  const floor = project(u, v);
  return { x: round(air.x), y: round(air.y), floorY: round(floor.y) };
}

interface GhostProps {
  visitor: SceneVisitor;
  desk: number;
  index: number;
  agentName: string;
  dark: boolean;
  onOpen(agentId: string): void;
}

function GhostImpl({ visitor, desk, index, agentName, dark, onOpen }: GhostProps): ReactElement {
  const spot = ghostSpot(desk, index);
  const who = visitor.device ? `${visitor.name} · ${visitor.device}` : visitor.name;
  const doing = visitor.typing ? `typing to ${agentName}` : `looking at ${agentName}`;
  return (
    <g
      className={`visitor-ghost${visitor.typing ? " visitor-ghost--typing" : ""}`}
      transform={`translate(${spot.x} ${spot.y})`}
      data-visitor={visitor.id}
      data-visitor-name={visitor.name}
      data-agent={visitor.agentId}
      role="img"
      aria-label={`${who}, ${doing}`}
      style={{ animationDelay: `${-((index * 0.7 + desk * 0.45) % 2.8)}s` }}
      onClick={() => onOpen(visitor.agentId)}
    >
      <title>{`${who} (${doing})`}</title>
      <ellipse className="ghost-shadow" cx="0" cy={spot.floorY - spot.y} rx="9" ry="3.6" fill="#2a1d40" opacity="0.14" />
      <g className="ghost-float">
        <g transform={`scale(${SCALE})`}>
          <GhostShape hue={visitor.hue} typing={visitor.typing} />
          {visitor.typing && <TypingBubble />}
        </g>
      </g>
      <Tag text={who} dark={dark} />
    </g>
  );
}

export const Ghost = memo(GhostImpl);

/** "+2": more ghosts at one desk than fit beside it. */
export function MoreGhosts({ desk, count, names }: { desk: number; count: number; names: string }): ReactElement {
  const spot = ghostSpot(desk, MAX_GHOSTS_PER_DESK);
  return (
    <g className="visitor-more" transform={`translate(${spot.x} ${spot.y})`}>
      <title>{names}</title>
      <circle r="9" fill="#fdfcff" stroke="#b9b0d6" strokeWidth="1.2" />
      <text y="3.5" textAnchor="middle" fontSize="9.5" fontWeight="800" fill="#5b5480" className="office-text">
        {`+${count}`}
      </text>
    </g>
  );
}

/** A ghost on its own, for the app around the scene (chat header, sign-in pages). */
export function GhostBadge({ hue, typing = false, size = 22, title }: { hue: number; typing?: boolean; size?: number; title?: string }): ReactElement {
  return (
    <svg className="ghost-badge" width={size} height={size} viewBox="-15 -18 30 32" role={title ? "img" : undefined} aria-hidden={title ? undefined : true} aria-label={title}>
      <GhostShape hue={hue} typing={typing} />
    </svg>
  );
}
