/**
 * One occupied desk: furniture, the seated character, monitor glow by state, per-desk
 * decorations, model props (a book for Opus, crayons for Haiku) and an attention ring.
 * Memoised: it re-renders only when its agent, theme or drag highlight changes. Keyboard focus
 * and the accessible label live in the focus layer, which follows desk order.
 */

import { memo, type KeyboardEvent, type MouseEvent, type PointerEvent, type ReactElement } from "react";
import { Character } from "./Character";
import { Book, CHARACTER_ORIGIN, ChairBack, Crayons, DeskBody, DeskPlant, DeskShadow, Keyboard, Lamp, Monitor, Mug, StickyNote } from "./DeskParts";
import { DESK_BOX, deskAnchor, floorEllipse } from "./geometry";
import { isWorking, modelFamily, screenGlow } from "./status";
import { palette, tint } from "./theme";
import type { DeskAgent } from "./types";

/** Stable callbacks shared by all desks, so memoisation holds. */
export interface DeskHandlers {
  pointerDown(event: PointerEvent<SVGGElement>, desk: number, agentId: string | null): void;
  keyDown(event: KeyboardEvent<SVGGElement>, desk: number, agentId: string | null): void;
  contextMenu(event: MouseEvent<SVGGElement>, agentId: string): void;
  emptyClick(desk: number): void;
}

interface DeskProps {
  agent: DeskAgent;
  dark: boolean;
  /** This desk's agent is being dragged. */
  dragSource: boolean;
  /** A dragged agent hovers over this desk. */
  dropHover: boolean;
  handlers: DeskHandlers;
}

const MUG_COLORS = ["#ef6f6c", "#4d8fe8", "#f2b134", "#6cc5a0"] as const;

function DeskDecor({ desk, working, dark }: { desk: number; working: boolean; dark: boolean }): ReactElement {
  const pal = palette(dark);
  const mug = tint(MUG_COLORS[desk % MUG_COLORS.length] ?? "#ef6f6c", pal);
  switch (desk % 4) {
    case 1:
      return <DeskPlant pal={pal} cactus={false} />;
    case 2:
      return (
        <>
          <StickyNote pal={pal} />
          <Mug steaming={working} color={mug} />
        </>
      );
    case 3:
      return <DeskPlant pal={pal} cactus />;
    default:
      return <Mug steaming={working} color={mug} />;
  }
}

function AttentionRing({ x = 0, y = 0 }: { x?: number; y?: number }): ReactElement {
  const e = floorEllipse(0.1, -0.3, 0.95);
  return (
    <g transform={`translate(${x + e.cx} ${y + e.cy})`}>
      <ellipse className="attention-ring" rx={e.rx} ry={e.ry} fill="none" stroke="#ffb347" strokeWidth="3" />
      <ellipse className="attention-ring attention-ring--late" rx={e.rx} ry={e.ry} fill="none" stroke="#ffb347" strokeWidth="2" />
    </g>
  );
}

export function DropHighlight(): ReactElement {
  const e = floorEllipse(0.05, -0.25, 0.95);
  return <ellipse className="drop-highlight" cx={e.cx} cy={e.cy} rx={e.rx} ry={e.ry} />;
}

function DeskImpl({ agent, dark, dragSource, dropHover, handlers }: DeskProps): ReactElement {
  const pal = palette(dark);
  const anchor = deskAnchor(agent.desk);
  const glow = screenGlow(agent.state);
  const working = isWorking(agent.state);
  const family = modelFamily(agent.model);
  const phase = agent.desk * 0.37;
  const classes = ["desk", `desk--${agent.state}`];
  if (dragSource) classes.push("desk--drag-source");
  if (dropHover) classes.push("desk--drop-hover");
  return (
    <g
      className={classes.join(" ")}
      transform={`translate(${anchor.x} ${anchor.y})`}
      aria-hidden="true"
      data-desk={agent.desk}
      onPointerDown={(e) => handlers.pointerDown(e, agent.desk, agent.id)}
      onContextMenu={(e) => handlers.contextMenu(e, agent.id)}
    >
      <title>{agent.topic ? `${agent.name}: ${agent.topic}` : agent.name}</title>
      <rect className="desk-hit" x={DESK_BOX.x} y={DESK_BOX.y} width={DESK_BOX.width} height={DESK_BOX.height} rx="18" />
      {agent.needsAttention && <AttentionRing />}
      {dropHover && <DropHighlight />}
      <g className="desk-lift">
        <DeskShadow pal={pal} />
        <g transform={`translate(${CHARACTER_ORIGIN.x} ${CHARACTER_ORIGIN.y})`}>
          <ChairBack pal={pal} />
          <Character outfit={agent.outfit} state={agent.state} layer="body" phase={phase} />
        </g>
        <DeskBody pal={pal} />
        <Lamp pal={pal} />
        <Monitor pal={pal} glow={glow} demo={agent.backend === "demo"} working={working} />
        <DeskDecor desk={agent.desk} working={working} dark={dark} />
        <Keyboard pal={pal} />
        {family === "opus" && <Book pal={pal} />}
        {family === "haiku" && <Crayons pal={pal} />}
        <g transform={`translate(${CHARACTER_ORIGIN.x} ${CHARACTER_ORIGIN.y})`}>
          <Character outfit={agent.outfit} state={agent.state} layer="front" phase={phase} />
        </g>
      </g>
    </g>
  );
}

export const Desk = memo(DeskImpl);
