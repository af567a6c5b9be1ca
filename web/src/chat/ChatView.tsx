/**
 * One agent's chat: the room's agents on the side (wide screens), the header, the conversation,
 * a warning when two people steer the agent at once, the queue and the message box. Opening it marks the agent as seen; dropping files anywhere on
 * it attaches them.
 */

import { useCallback, useEffect, useState, type DragEvent, type ReactElement } from "react";
import { useApp } from "../app/context";
import { useNow } from "../app/hooks";
import { CharacterPortrait, StatusDot } from "../office";
import { agentsInRoom, backendOf } from "../store/selectors";
import { shallowEqual, useAppState, useStoreInstance } from "../store/store";
import { ChatHeader } from "./ChatHeader";
import { Composer } from "./Composer";
import { isBusy, workingSince } from "./format";
import { LogPane } from "./LogPane";
import { SteeringBanner } from "./Presence";
import { QueuePanel } from "./QueuePanel";

function AgentRail({ agentId, roomId }: { agentId: string; roomId: string }): ReactElement {
  const api = useApp();
  const now = useNow(10_000);
  const agents = useAppState(
    (s) =>
      agentsInRoom(s.server, roomId).map((a) => ({
        id: a.id,
        name: a.name,
        desk: a.desk,
        outfit: a.outfit,
        state: s.server.statuses[a.id]?.state ?? "idle",
        since: workingSince(s.server.statuses[a.id], s.server.logs[a.id]?.entries) ?? 0,
        topic: s.server.statuses[a.id]?.topic ?? null,
        attention: a.id in s.ui.attention,
      })),
    (a, b) => a.length === b.length && a.every((x, i) => shallowEqual(x, b[i])),
  );
  return (
    <nav className="rail" aria-label="Agents in this room">
      {agents.map((a) => (
        <button
          key={a.id}
          type="button"
          className={`rail-agent${a.id === agentId ? " rail-agent--on" : ""}${a.attention ? " rail-agent--attention" : ""}`}
          onClick={() => api.navigate({ view: "chat", agentId: a.id })}
          aria-current={a.id === agentId ? "page" : undefined}
          title={`${a.name} (desk ${a.desk + 1}, key ${a.desk + 1})`}
        >
          <span className="rail-portrait" aria-hidden="true">
            <CharacterPortrait outfit={a.outfit} state={a.state} size={31} />
          </span>
          <span className="rail-text">
            <span className="rail-name">
              <StatusDot state={a.state} elapsedMs={now - a.since} size={9} /> {a.name}
            </span>
            <span className="rail-topic">{a.topic ?? "—"}</span>
          </span>
          <span className="rail-key" aria-hidden="true">
            {a.desk + 1}
          </span>
        </button>
      ))}
    </nav>
  );
}

export function ChatView({ agentId }: { agentId: string }): ReactElement {
  const api = useApp();
  const store = useStoreInstance();
  const loaded = useAppState((s) => s.ui.loaded);
  const agent = useAppState((s) => s.server.agents[agentId]);
  const status = useAppState((s) => s.server.statuses[agentId]);
  const backend = useAppState((s) => (agent ? backendOf(s.server, agent.backend) : undefined));
  const roomName = useAppState((s) => s.server.rooms.find((r) => r.id === agent?.roomId)?.name ?? "");
  const [dropped, setDropped] = useState<File[] | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const me = useAppState((s) => s.ui.me);
  const takeDropped = useCallback(() => setDropped(null), []);

  useEffect(() => {
    store.dispatch({ type: "view", agentId });
    const onVisible = () => {
      if (!document.hidden) store.dispatch({ type: "view", agentId });
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
      store.dispatch({ type: "view", agentId: null });
    };
  }, [agentId, store]);

  if (!loaded) return <div className="chat chat--empty">Opening the office…</div>;
  if (agent === undefined) {
    return (
      <div className="chat chat--empty">
        <p>This agent is not in the office (any more).</p>
        <button type="button" className="btn btn--primary" onClick={() => api.navigate({ view: "office" })}>
          Back to the office
        </button>
      </div>
    );
  }

  const busy = isBusy(status);
  const canBranch = (backend?.capabilities.forkAtTurn ?? false) && !busy;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length > 0) setDropped(files);
  };

  return (
    <div className="chat-layout">
      <AgentRail agentId={agentId} roomId={agent.roomId} />
      <section
        className={`chat${dragOver ? " chat--drop" : ""}`}
        onDragOver={(e) => {
          if ([...e.dataTransfer.types].includes("Files")) {
            e.preventDefault();
            setDragOver(true);
          }
        }}
        onDragLeave={(e) => {
          if (e.currentTarget === e.target) setDragOver(false);
        }}
        onDrop={onDrop}
      >
        <ChatHeader agent={agent} status={status} backend={backend} roomName={roomName} />
        <LogPane agentId={agentId} agentName={agent.name} me={me} canBranch={canBranch} />
        <SteeringBanner agentId={agentId} agentName={agent.name} busy={busy} />
        <QueuePanel agentId={agentId} agentName={agent.name} busy={busy} canSteer={backend?.capabilities.steer ?? false} />
        <Composer agentId={agentId} agentName={agent.name} busy={busy} dropped={dropped} onDroppedTaken={takeDropped} />
        {dragOver && <div className="drop-overlay">Drop files to attach them</div>}
      </section>
    </div>
  );
}
