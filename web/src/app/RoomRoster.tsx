/**
 * The room's agents as a list under the scene, for narrow screens where desks are small to tap:
 * portrait, status, topic and waiting messages; tap to chat, ⋯ for the agent's menu.
 */

import type { ReactElement } from "react";
import { CharacterPortrait, StatusDot, type DeskAgent } from "../office";
import { useApp } from "./context";
import { Icon } from "./icons";

interface RosterProps {
  agents: DeskAgent[];
  now: number;
  roomId: string;
  onMenu(agentId: string, x: number, y: number): void;
}

export function RoomRoster({ agents, now, roomId, onMenu }: RosterProps): ReactElement {
  const api = useApp();
  return (
    <section className="roster" aria-label="Agents in this room">
      {agents.map((a) => (
        <div key={a.id} className={`roster-row${a.needsAttention ? " roster-row--attention" : ""}`}>
          <button type="button" className="roster-main" onClick={() => api.navigate({ view: "chat", agentId: a.id })}>
            <span className="roster-portrait" aria-hidden="true">
              <CharacterPortrait outfit={a.outfit} state={a.state} size={34} />
            </span>
            <span className="roster-text">
              <span className="roster-name">
                <StatusDot state={a.state} elapsedMs={now - a.stateSince} size={10} /> {a.name}
                {a.queued > 0 && <span className="roster-queued">{a.queued} waiting</span>}
              </span>
              <span className="roster-topic">{a.topic ?? `desk ${a.desk + 1}`}</span>
            </span>
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label={`${a.name} actions`}
            onClick={(e) => {
              const box = e.currentTarget.getBoundingClientRect();
              onMenu(a.id, box.left + window.scrollX, box.bottom + window.scrollY);
            }}
          >
            <Icon name="more" />
          </button>
        </div>
      ))}
      {agents.length < 8 && (
        <button type="button" className="roster-add" onClick={() => api.openDialog({ kind: "spawn", roomId, desk: null })}>
          <Icon name="plus" size={16} /> Hire an agent
        </button>
      )}
    </section>
  );
}
