/** The menu of an agent in the office (right-click or long-press on its desk). */

import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from "react";
import { useAppState } from "../store/store";
import { isBusy } from "../chat/format";
import { useApp } from "./context";
import { Icon } from "./icons";

interface AgentMenuProps {
  agentId: string;
  /** Page coordinates. */
  x: number;
  y: number;
  onClose(): void;
  onMove(agentId: string, room: { id: string; name: string }): Promise<void>;
}

export function AgentMenu({ agentId, x, y, onClose, onMove }: AgentMenuProps): ReactElement | null {
  const api = useApp();
  const agent = useAppState((s) => s.server.agents[agentId]);
  const busy = useAppState((s) => isBusy(s.server.statuses[agentId]));
  const rooms = useAppState((s) => s.server.rooms);
  const ref = useRef<HTMLDivElement | null>(null);
  const [at, setAt] = useState({ left: x - window.scrollX, top: y - window.scrollY });

  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (!box) return;
    const left = Math.max(8, Math.min(x - window.scrollX, window.innerWidth - box.width - 8));
    const top = Math.max(8, Math.min(y - window.scrollY, window.innerHeight - box.height - 8));
    setAt({ left, top });
  }, [x, y]);

  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener("pointerdown", onDown, true);
    window.addEventListener("keydown", onKey, true);
    ref.current?.querySelector("button")?.focus();
    return () => {
      window.removeEventListener("pointerdown", onDown, true);
      window.removeEventListener("keydown", onKey, true);
    };
  }, [onClose]);

  if (agent === undefined) return null;
  const act = (fn: () => void) => () => {
    onClose();
    fn();
  };
  const otherRooms = rooms.filter((r) => r.id !== agent.roomId);

  return (
    <div ref={ref} className="menu" role="menu" aria-label={`${agent.name} actions`} style={{ left: at.left, top: at.top }}>
      <div className="menu-title">{agent.name}</div>
      <button type="button" role="menuitem" onClick={act(() => api.navigate({ view: "chat", agentId }))}>
        Open chat
      </button>
      <button type="button" role="menuitem" onClick={act(() => api.openDialog({ kind: "edit", agentId }))}>
        <Icon name="edit" size={15} /> Edit agent…
      </button>
      <button type="button" role="menuitem" onClick={act(() => api.openDialog({ kind: "sessions", agentId }))}>
        <Icon name="history" size={15} /> Conversations…
      </button>
      <button
        type="button"
        role="menuitem"
        disabled={busy}
        title={busy ? "Interrupt the running turn first" : undefined}
        onClick={act(() => void api.run({ type: "new_conversation", agentId }))}
      >
        <Icon name="plus" size={15} /> New conversation
      </button>
      {otherRooms.length > 0 && <div className="menu-sep" role="separator" />}
      {otherRooms.map((room) => (
        <button key={room.id} type="button" role="menuitem" onClick={act(() => void onMove(agentId, room))}>
          Move to {room.name}
        </button>
      ))}
      <div className="menu-sep" role="separator" />
      <button type="button" role="menuitem" className="menu-danger" onClick={act(() => api.openDialog({ kind: "kill", agentId }))}>
        <Icon name="trash" size={15} /> Kill agent…
      </button>
    </div>
  );
}
