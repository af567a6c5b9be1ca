/**
 * The office: room tabs, the isometric scene of the current room fed from the store (with the
 * ghosts of other people's browsers beside the agents they look at), and the agent menu
 * (right-click or long-press on a desk). Props on the walls lead elsewhere: corkboard → task
 * board, framed sign → office rules, window → day/night, neon sign → another colour.
 */

import { useMemo, useState, type ReactElement } from "react";
import { Scene, type SceneVisitor } from "../office";
import type { AgentSpec } from "../protocol";
import { others, personHue } from "../store/presence";
import { agentsInRoom, defaultNeonHue, deskAgent, neighbours, openTaskCount, roomOf } from "../store/selectors";
import { local, loadNeonHue, saveNeonHue } from "../store/storage";
import { shallowEqual, useAppState } from "../store/store";
import { AgentMenu } from "./AgentMenu";
import { useApp } from "./context";
import { useNow } from "./hooks";
import { RoomRoster } from "./RoomRoster";
import { RoomTabs } from "./RoomTabs";

function sameItems<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((item, i) => shallowEqual(item, b[i]));
}

/** Other browsers with an agent's chat open, as ghosts for the scene. */
export function sceneVisitors(presence: Parameters<typeof others>[0]): SceneVisitor[] {
  return others(presence).flatMap((v) =>
    v.viewing === null ? [] : [{ id: v.id, name: v.name, device: v.device, typing: v.typing, agentId: v.viewing, hue: personHue(v.name) }],
  );
}

interface MenuAt {
  agentId: string;
  x: number;
  y: number;
}

export function OfficeView(): ReactElement {
  const api = useApp();
  const now = useNow(5000);
  const loaded = useAppState((s) => s.ui.loaded);
  const rooms = useAppState((s) => s.server.rooms);
  const room = useAppState((s) => roomOf(s.server, api.roomId));
  const roomId = room?.id ?? "";
  const agents = useAppState((s) => agentsInRoom(s.server, roomId).map((a) => deskAgent(s, a)), sameItems);
  const visitors = useAppState((s) => sceneVisitors(s.ui.presence), sameItems);
  const everyone = useAppState((s) => Object.keys(s.server.agents).length);
  const openTasks = useAppState((s) => openTaskCount(s.server));
  const hasRules = useAppState((s) => s.server.office.prompt.trim() !== "");
  const counts = useAppState((s) => {
    const found = { working: 0, waiting: 0, error: 0 };
    for (const a of agentsInRoom(s.server, roomId)) {
      const state = s.server.statuses[a.id]?.state;
      if (state === "thinking" || state === "tool") found.working += 1;
      else if (state === "waiting") found.waiting += 1;
      else if (state === "error") found.error += 1;
    }
    return found;
  });
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const [hues, setHues] = useState<Record<string, number>>({});
  const { prev, next } = useMemo(() => neighbours(rooms, roomId), [rooms, roomId]);

  if (!loaded || room === undefined) {
    return (
      <div className="office-view office-view--loading">
        <div className="office-loading">
          <div className="office-loading-cube" aria-hidden="true" />
          <p>Opening the office…</p>
        </div>
      </div>
    );
  }

  const neonHue = hues[roomId] ?? loadNeonHue(local(), roomId) ?? defaultNeonHue(roomId);
  const move = async (agentId: string, target: { id: string; name: string } | null) => {
    if (target === null) return;
    const moved = await api.run<AgentSpec>({ type: "move_agent", agentId, roomId: target.id, desk: null });
    if (moved !== undefined) api.notify(`${moved.name} moved to ${target.name}, desk ${moved.desk + 1}`, "success");
  };

  return (
    <div className="office-view">
      <div className="office-toolbar">
        <RoomTabs />
        <div className="office-counts" aria-label="Agents in this room">
          {counts.working > 0 && <span className="count count--working">{counts.working} working</span>}
          {counts.waiting > 0 && <span className="count count--waiting">{counts.waiting} waiting</span>}
          {counts.error > 0 && <span className="count count--error">{counts.error} in error</span>}
        </div>
      </div>
      <div className="office-stage">
        <Scene
          room={{ id: room.id, name: room.name }}
          agents={agents}
          prevRoom={prev === null ? null : { id: prev.id, name: prev.name }}
          nextRoom={next === null ? null : { id: next.id, name: next.name }}
          openTasks={openTasks}
          hasRules={hasRules}
          dark={api.theme === "dark"}
          now={now}
          neonHue={neonHue}
          visitors={visitors}
          onEmptyDesk={(desk) => api.openDialog({ kind: "spawn", roomId: room.id, desk })}
          onAgent={(id) => api.navigate({ view: "chat", agentId: id })}
          onAgentMenu={(agentId, x, y) => setMenu({ agentId, x, y })}
          onSwapDesks={(a, b) => void api.run({ type: "swap_desks", roomId: room.id, deskA: a, deskB: b })}
          onDropOnDoor={(agentId, side) => void move(agentId, side === "prev" ? prev : next)}
          onDoor={(side) => {
            const target = side === "prev" ? prev : next;
            if (target !== null) api.setRoomId(target.id);
          }}
          onCorkboard={() => api.navigate({ view: "tasks" })}
          onSign={() => api.openDialog({ kind: "rules" })}
          onClock={() =>
            api.notify(
              `${new Date().toLocaleString([], { weekday: "long", hour: "2-digit", minute: "2-digit" })} · ${counts.working} working, ${counts.waiting} waiting in ${room.name}`,
              "info",
            )
          }
          onWindow={api.toggleTheme}
          onNeon={() => {
            const nextHue = (neonHue + 47) % 360;
            saveNeonHue(local(), room.id, nextHue);
            setHues((h) => ({ ...h, [room.id]: nextHue }));
          }}
        />
        {everyone === 0 && (
          <div className="office-welcome">
            <strong>Welcome to your office!</strong>
            <span>Click an empty desk to hire your first agent.</span>
          </div>
        )}
      </div>
      <RoomRoster agents={agents} now={now} roomId={room.id} onMenu={(agentId, x, y) => setMenu({ agentId, x, y })} />
      <p className="office-hint">
        <span>
          <kbd>click</kbd> a desk to open or hire
        </span>
        <span>
          <kbd>drag</kbd> to swap desks or through a door
        </span>
        <span>
          <kbd>right-click</kbd> for more
        </span>
        <span>
          <kbd>1</kbd>–<kbd>8</kbd> open a desk
        </span>
      </p>
      {menu !== null && <AgentMenu agentId={menu.agentId} x={menu.x} y={menu.y} onClose={() => setMenu(null)} onMove={move} />}
    </div>
  );
}
