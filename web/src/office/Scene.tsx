/**
 * The isometric office: one responsive `<svg>` with the room, its wall props and doors, eight
 * desk slots drawn in painter's order, a label layer on top, the ghosts of other people's
 * browsers beside the agents they look at, and a shadow copy of the agent while dragging.
 */

import "../styles/office.css";
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactElement, type RefObject } from "react";
import { Character } from "./Character";
import { SceneDefs } from "./Defs";
import { Desk } from "./Desk";
import { Door, Doormat } from "./Door";
import { EmptyDesk } from "./EmptyDesk";
import { BigPlant, Bookshelf, WaterCooler } from "./FloorProps";
import { COMPACT_VIEWBOX, DESK_COUNT, DESK_SLOTS, depth, FLOOR_PROPS, viewBoxAttr, VIEWBOX } from "./geometry";
import { FocusLayer } from "./FocusLayer";
import { Ghost, MAX_GHOSTS_PER_DESK, MoreGhosts } from "./Ghost";
import { FairyLights } from "./Lights";
import { Nametag } from "./Nametag";
import { NeonSign } from "./Neon";
import { Backdrop, Floor, Rug, Walls, WindowLight } from "./Room";
import { lightColor } from "./status";
import { palette, type Palette } from "./theme";
import type { DeskAgent, SceneProps, SceneVisitor } from "./types";
import { useDeskDrag } from "./useDeskDrag";
import { Corkboard, RulesSign, WallClock, WindowProp } from "./WallDecor";

/** Below this container width the scene crops its far wall ends and enlarges its labels. */
export const COMPACT_BELOW_PX = 560;
export const DEFAULT_NEON_HUE = 322;

function useCompact(ref: RefObject<HTMLDivElement | null>): boolean {
  const [compact, setCompact] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width ?? el.clientWidth;
      setCompact(width > 0 && width < COMPACT_BELOW_PX);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return compact;
}

/** One agent per desk: the first claim wins, out-of-range desks are ignored. */
export function agentsByDesk(agents: readonly DeskAgent[]): Map<number, DeskAgent> {
  const byDesk = new Map<number, DeskAgent>();
  for (const agent of agents) {
    if (Number.isInteger(agent.desk) && agent.desk >= 0 && agent.desk < DESK_COUNT && !byDesk.has(agent.desk)) {
      byDesk.set(agent.desk, agent);
    }
  }
  return byDesk;
}

/** Each desk's visitors, in the order given. */
export function visitorsByDesk(agents: ReadonlyMap<number, DeskAgent>, visitors: readonly SceneVisitor[]): Map<number, SceneVisitor[]> {
  const deskOf = new Map<string, number>();
  for (const [desk, agent] of agents) deskOf.set(agent.id, desk);
  const found = new Map<number, SceneVisitor[]>();
  for (const visitor of visitors) {
    const desk = deskOf.get(visitor.agentId);
    if (desk === undefined) continue;
    const list = found.get(desk);
    if (list === undefined) found.set(desk, [visitor]);
    else list.push(visitor);
  }
  return found;
}

function VisitorLayer({ byDesk, visitors, dark, onOpen }: { byDesk: ReadonlyMap<number, DeskAgent>; visitors: readonly SceneVisitor[]; dark: boolean; onOpen(id: string): void }): ReactElement {
  const groups = visitorsByDesk(byDesk, visitors);
  return (
    <g className="office-visitors">
      {[...groups].map(([desk, list]) => {
        const agentName = byDesk.get(desk)?.name ?? "";
        const shown = list.length > MAX_GHOSTS_PER_DESK + 1 ? list.slice(0, MAX_GHOSTS_PER_DESK) : list;
        const hidden = list.slice(shown.length);
        return (
          <g key={desk} data-visitors-desk={desk}>
            {shown.map((visitor, index) => (
              <Ghost key={visitor.id} visitor={visitor} desk={desk} index={index} agentName={agentName} dark={dark} onOpen={onOpen} />
            ))}
            {hidden.length > 0 && (
              <MoreGhosts desk={desk} count={hidden.length} names={hidden.map((v) => (v.device ? `${v.name} · ${v.device}` : v.name)).join(", ")} />
            )}
          </g>
        );
      })}
    </g>
  );
}

type FloorPropName = "cornerPlant" | "cooler" | "shelf" | "doorPlant";

const FloorProp = memo(function FloorProp({ name, pal, roomId }: { name: FloorPropName; pal: Palette; roomId: string }): ReactElement {
  switch (name) {
    case "cornerPlant":
    case "doorPlant":
      return <BigPlant pal={pal} where={name} />;
    case "cooler":
      return <WaterCooler pal={pal} />;
    case "shelf":
      return <Bookshelf pal={pal} roomId={roomId} />;
  }
});

/** Everything about the room that depends only on the theme; memoised so clock ticks skip it. */
const RoomShell = memo(function RoomShell({ pal }: { pal: Palette }): ReactElement {
  return (
    <>
      <Backdrop pal={pal} />
      <Floor pal={pal} />
      <Walls pal={pal} />
      <WindowLight pal={pal} />
      <Rug pal={pal} />
      <FairyLights pal={pal} />
    </>
  );
});

type Item = { key: string; depth: number } & ({ kind: "desk"; desk: number } | { kind: "prop"; name: FloorPropName });

const ITEMS: readonly Item[] = [
  ...DESK_SLOTS.map((s): Item => ({ key: `desk-${s.index}`, depth: depth(s.u, s.v), kind: "desk", desk: s.index })),
  ...(Object.keys(FLOOR_PROPS) as FloorPropName[]).map(
    (name): Item => ({ key: name, depth: depth(FLOOR_PROPS[name].u, FLOOR_PROPS[name].v), kind: "prop", name }),
  ),
].sort((a, b) => a.depth - b.depth);

const NO_VISITORS: readonly SceneVisitor[] = [];

export function Scene(props: SceneProps): ReactElement {
  const { room, agents, prevRoom, nextRoom, openTasks, hasRules, dark, now, neonHue = DEFAULT_NEON_HUE, visitors = NO_VISITORS } = props;
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });
  const containerRef = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const compact = useCompact(containerRef);
  const { handlers, drag, hover, ghostRef } = useDeskDrag(svgRef, latest);
  const openAgent = useCallback((id: string) => latest.current.onAgent(id), []);
  const pal = palette(dark);
  const byDesk = agentsByDesk(agents);
  const dragged = drag === null ? undefined : agents.find((a) => a.id === drag.agentId);
  const hoverDesk = hover?.kind === "desk" ? hover.desk : null;
  const hoverDoor = hover?.kind === "door" ? hover.side : null;

  return (
    <div ref={containerRef} className={`office-scene${dark ? " office-scene--dark" : ""}${drag ? " office-scene--dragging" : ""}`}>
      <svg
        ref={svgRef}
        className="office-svg"
        viewBox={viewBoxAttr(compact ? COMPACT_VIEWBOX : VIEWBOX)}
        preserveAspectRatio="xMidYMid meet"
        role="group"
        aria-label={`Office: ${room.name}`}
      >
        <SceneDefs pal={pal} />
        <RoomShell pal={pal} />
        <Doormat side="prev" pal={pal} active={hoverDoor === "prev"} />
        <Doormat side="next" pal={pal} active={hoverDoor === "next"} />
        <WindowProp pal={pal} now={now} onClick={() => latest.current.onWindow()} />
        <WallClock pal={pal} now={now} onClick={() => latest.current.onClock()} />
        <Corkboard pal={pal} openTasks={openTasks} onClick={() => latest.current.onCorkboard()} />
        <RulesSign pal={pal} hasRules={hasRules} onClick={() => latest.current.onSign()} />
        <NeonSign pal={pal} hue={neonHue} onClick={() => latest.current.onNeon()} />
        <Door side="prev" room={prevRoom} pal={pal} dropHover={hoverDoor === "prev"} compact={compact} onDoor={(side) => latest.current.onDoor(side)} />
        <Door side="next" room={nextRoom} pal={pal} dropHover={hoverDoor === "next"} compact={compact} onDoor={(side) => latest.current.onDoor(side)} />
        {ITEMS.map((item) => {
          if (item.kind === "prop") return <FloorProp key={item.key} name={item.name} pal={pal} roomId={room.id} />;
          const agent = byDesk.get(item.desk);
          if (agent === undefined) {
            return <EmptyDesk key={item.key} desk={item.desk} dark={dark} dropHover={hoverDesk === item.desk} handlers={handlers} />;
          }
          return (
            <Desk
              key={agent.id}
              agent={agent}
              dark={dark}
              dragSource={drag?.agentId === agent.id}
              dropHover={hoverDesk === item.desk}
              handlers={handlers}
            />
          );
        })}
        <g className="office-labels">
          {[...byDesk.values()].map((agent) => (
            <Nametag
              key={agent.id}
              agent={agent}
              light={lightColor(agent.state, now - agent.stateSince)}
              dark={dark}
              compact={compact}
              onOpen={openAgent}
            />
          ))}
        </g>
        {drag === null && <VisitorLayer byDesk={byDesk} visitors={visitors} dark={dark} onOpen={openAgent} />}
        <FocusLayer byDesk={byDesk} now={now} handlers={handlers} />
        {drag !== null && dragged !== undefined && (
          <g ref={ghostRef} className="drag-ghost" transform={`translate(${drag.at.x} ${drag.at.y})`}>
            <g transform="translate(0 20)">
              <Character outfit={dragged.outfit} state={dragged.state} layer="body" />
              <Character outfit={dragged.outfit} state={dragged.state} layer="front" />
            </g>
          </g>
        )}
      </svg>
    </div>
  );
}
