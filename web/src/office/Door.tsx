/** Doors to the previous and next room, labelled with the room names; drop an agent on one to move it there. */

import type { ReactElement } from "react";
import { shade } from "./color";
import { doorItem, estimateTextWidth, floorTransform, wallItemTransform, wallItemWidth, type DoorSide } from "./geometry";
import { ellipsize } from "./status";
import type { Palette } from "./theme";
import type { RoomView } from "./types";
import { buttonProps } from "./WallDecor";

interface DoorProps {
  side: DoorSide;
  room: RoomView | null;
  pal: Palette;
  /** A dragged agent hovers over this door. */
  dropHover: boolean;
  /** The compact frame crops each door in half; the plaque then moves onto the visible half. */
  compact: boolean;
  onDoor(side: DoorSide): void;
}

const LEAF = "#4f8f8b";

export function Door({ side, room, pal, dropHover, compact, onDoor }: DoorProps): ReactElement {
  const item = doorItem(side);
  const w = wallItemWidth(item);
  const h = item.top - item.bottom;
  const leaf = pal.dark ? shade(LEAF, -0.45) : LEAF;
  // The handle sits away from the hinge, which is on the wall's far end.
  const knobX = side === "prev" ? w - 11 : 11;
  const name = room === null ? "" : ellipsize(room.name, compact ? 9 : 16);
  const text = room === null ? "" : side === "prev" ? `‹ ${name}` : `${name} ›`;
  const plaqueW = Math.max(44, Math.min(w + 30, estimateTextWidth(text, 10, true) + 16));
  const plaqueX = !compact ? w / 2 : side === "prev" ? w / 2 + 4 + plaqueW / 2 : w / 2 - 4 - plaqueW / 2;
  const classes = `door door--${side}${room === null ? " door--disabled" : ""}${dropHover ? " door--drop-hover" : ""}`;
  const label = room === null ? `No ${side === "prev" ? "previous" : "next"} room` : `Go to ${side === "prev" ? "previous" : "next"} room: ${room.name}`;
  const interactive = room === null ? { className: `office-button ${classes}`, "aria-label": label, "aria-disabled": true } : buttonProps(label, () => onDoor(side), classes);
  return (
    <g transform={wallItemTransform(item)} {...interactive}>
      <rect x="-7" y="-7" width={w + 14} height={h + 7} rx="3" fill={shade(pal.paper, -0.05)} />
      <rect x="-3" y="-3" width={w + 6} height={h + 3} fill={shade(pal.paper, -0.2)} />
      <rect className="door-leaf" width={w} height={h} fill={leaf} />
      <rect x="9" y="12" width={w - 18} height="50" rx="2" fill={shade(leaf, 0.12)} stroke={shade(leaf, -0.25)} strokeWidth="1.2" />
      <rect x="9" y="74" width={w - 18} height="62" rx="2" fill={shade(leaf, 0.12)} stroke={shade(leaf, -0.25)} strokeWidth="1.2" />
      <circle cx={knobX} cy="80" r="3.6" fill="#f2c14e" stroke="#b8862a" strokeWidth="0.8" />
      {dropHover && <rect className="door-glow" x="-5" y="-5" width={w + 10} height={h + 5} rx="4" fill="none" stroke="#ffd36b" strokeWidth="4" />}
      <g transform={`translate(${plaqueX} -24)`} className="door-plaque">
        <rect x={-plaqueW / 2} y="-9" width={plaqueW} height="17" rx="8.5" fill={room === null ? shade(pal.paper, -0.12) : pal.labelBg} />
        {room !== null && (
          <text y="3.6" textAnchor="middle" fontSize="10" fontWeight="700" fill={pal.labelText} className="office-text">
            <title>{room.name}</title>
            {text}
          </text>
        )}
      </g>
    </g>
  );
}

/** A doormat on the floor in front of each door; it lights up while an agent is dragged over the door. */
export function Doormat({ side, pal, active }: { side: DoorSide; pal: Palette; active: boolean }): ReactElement {
  const item = doorItem(side);
  const from = item.from + 0.15;
  const to = item.to - 0.15;
  const fill = active ? "#ffd36b" : shade(pal.rug, -0.25);
  const body =
    item.wall === "left" ? (
      <rect x="0.08" y={from} width="0.7" height={to - from} rx="0.08" fill={fill} />
    ) : (
      <rect x={from} y="0.08" width={to - from} height="0.7" rx="0.08" fill={fill} />
    );
  return (
    <g transform={floorTransform(0, 0)} opacity={active ? 0.95 : 0.8}>
      {body}
    </g>
  );
}
