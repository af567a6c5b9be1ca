/** A free desk slot: a ghost desk with a "+"; click to hire an agent there, or drop one onto it. */

import { memo, type ReactElement } from "react";
import { DESK_TOP_Z } from "./DeskParts";
import type { DeskHandlers } from "./Desk";
import { DropHighlight } from "./Desk";
import { boxFaces, DESK_BOX, deskAnchor, pointsAttr, project } from "./geometry";
import { deskNumber } from "./status";
import { palette } from "./theme";

interface EmptyDeskProps {
  desk: number;
  dark: boolean;
  dropHover: boolean;
  handlers: DeskHandlers;
}

function EmptyDeskImpl({ desk, dark, dropHover, handlers }: EmptyDeskProps): ReactElement {
  const pal = palette(dark);
  const anchor = deskAnchor(desk);
  const z = DESK_TOP_Z;
  const box = boxFaces(-0.82, 0.82, -0.46, 0.46, 0, z);
  const footprint = [project(-0.95, -0.7), project(0.95, -0.7), project(0.95, 0.6), project(-0.95, 0.6)];
  const legs = [
    [project(-0.82, 0.46, z), project(-0.82, 0.46, 0)],
    [project(0.82, 0.46, z), project(0.82, 0.46, 0)],
    [project(0.82, -0.46, z), project(0.82, -0.46, 0)],
  ] as const;
  const plus = project(0, 0, z + 26);
  return (
    <g
      className={`empty-desk${dropHover ? " empty-desk--drop-hover" : ""}`}
      transform={`translate(${anchor.x} ${anchor.y})`}
      aria-hidden="true"
      data-desk={desk}
      onClick={() => handlers.emptyClick(desk)}
    >
      <rect className="desk-hit" x={DESK_BOX.x} y={DESK_BOX.y + 30} width={DESK_BOX.width} height={DESK_BOX.height - 30} rx="18" />
      {dropHover && <DropHighlight />}
      <g className="empty-desk-art" stroke={pal.ghost} fill="none" strokeDasharray="5 4" strokeWidth="1.6" strokeLinejoin="round">
        <polygon points={pointsAttr(footprint)} fill={pal.ghost} fillOpacity="0.1" />
        <polygon points={pointsAttr(box.top)} fill={pal.ghost} fillOpacity="0.12" />
        {legs.map(([a, b]) => (
          <line key={`${a.x},${a.y}`} x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
        ))}
      </g>
      <g className="empty-desk-plus" transform={`translate(${plus.x} ${plus.y})`}>
        <circle r="12" fill={pal.paper} stroke={pal.ghost} strokeWidth="1.6" />
        <path d="M-5.5 0 H5.5 M0 -5.5 V5.5" stroke={pal.ghost} strokeWidth="2.6" strokeLinecap="round" />
      </g>
      <text className="empty-desk-label office-text" y="48" textAnchor="middle" fontSize="11" fill={pal.labelMuted}>
        {`desk ${deskNumber(desk)}`}
      </text>
    </g>
  );
}

export const EmptyDesk = memo(EmptyDeskImpl);
