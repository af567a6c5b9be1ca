/**
 * The chat's header: back, the agent (status light, name, model, backend), its topic (click to
 * edit, ↻ to regenerate when stale), who else has this chat open and who is typing, how long it
 * has been working (amber after 2 min, red after 5), Interrupt, and a menu for conversations,
 * editing and killing.
 */

import { useEffect, useRef, useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { useNow } from "../app/hooks";
import { Icon } from "../app/icons";
import { CharacterPortrait, StatusDot } from "../office";
import type { AgentSpec, AgentStatus, BackendInfo } from "../protocol";
import { useAppState } from "../store/store";
import { activityWord, formatElapsed, isBusy, timerTone, workingSince } from "./format";
import { transcript } from "./items";
import { copyText } from "./Markdown";
import { ChatPresence } from "./Presence";

function Topic({ agentId, status }: { agentId: string; status: AgentStatus | undefined }): ReactElement {
  const api = useApp();
  const [editing, setEditing] = useState<string | null>(null);
  const [regenerating, setRegenerating] = useState(false);
  const topic = status?.topic ?? null;
  const topicWhenAsked = useRef<string | null>(null);

  useEffect(() => {
    if (regenerating && topic !== topicWhenAsked.current) setRegenerating(false);
  }, [regenerating, topic]);
  useEffect(() => {
    if (!regenerating) return;
    const timer = window.setTimeout(() => setRegenerating(false), 30_000);
    return () => window.clearTimeout(timer);
  }, [regenerating]);

  const save = async () => {
    const value = editing?.trim() ?? "";
    setEditing(null);
    if (value === "" || value === topic) return;
    await api.run({ type: "set_topic", agentId, topic: value.slice(0, 80) });
  };
  const regenerate = async () => {
    topicWhenAsked.current = topic;
    setRegenerating(true);
    const result = await api.run({ type: "regenerate_topic", agentId });
    if (result === undefined) setRegenerating(false);
  };

  if (editing !== null) {
    return (
      <input
        className="topic-input"
        value={editing}
        maxLength={80}
        autoFocus
        aria-label="Topic"
        onChange={(e) => setEditing(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={(e) => {
          if (e.key === "Enter") void save();
          if (e.key === "Escape") {
            e.stopPropagation();
            setEditing(null);
          }
        }}
      />
    );
  }
  const canRegenerate = status?.sessionId != null && (status.topicStale || topic === null);
  return (
    <span className="topic">
      <button type="button" className="topic-text" title="Click to edit the topic" disabled={status?.sessionId == null} onClick={() => setEditing(topic ?? "")}>
        {regenerating ? "…" : (topic ?? (status?.sessionId ? "No topic yet" : "New conversation"))}
      </button>
      {canRegenerate && !regenerating && (
        <button type="button" className="topic-regen" title={status?.topicStale ? "The topic is out of date: regenerate it" : "Generate a topic"} aria-label="Regenerate the topic" onClick={() => void regenerate()}>
          <Icon name="refresh" size={14} />
        </button>
      )}
    </span>
  );
}

function Timer({ status, since }: { status: AgentStatus; since: number }): ReactElement {
  const now = useNow(1000);
  const elapsed = now - since;
  const waiting = status.permission !== null;
  return (
    <span className={`timer timer--${waiting ? "waiting" : timerTone(elapsed)}`} title={`${activityWord(status)} for ${formatElapsed(elapsed)}`}>
      {waiting ? "needs you" : "working"} {formatElapsed(elapsed)}
    </span>
  );
}

interface HeaderProps {
  agent: AgentSpec;
  status: AgentStatus | undefined;
  backend: BackendInfo | undefined;
  roomName: string;
}

export function ChatHeader({ agent, status, backend, roomName }: HeaderProps): ReactElement {
  const api = useApp();
  const busy = isBusy(status);
  const now = useNow(15_000);
  const [menu, setMenu] = useState(false);
  const menuRef = useRef<HTMLDivElement | null>(null);
  const entries = useAppState((s) => s.server.logs[agent.id]?.entries);
  const since = workingSince(status, entries) ?? now;

  useEffect(() => {
    if (!menu) return;
    const close = (e: PointerEvent) => {
      if (menuRef.current && !menuRef.current.contains(e.target as Node)) setMenu(false);
    };
    window.addEventListener("pointerdown", close, true);
    return () => window.removeEventListener("pointerdown", close, true);
  }, [menu]);

  const item = (label: string, icon: Parameters<typeof Icon>[0]["name"], action: () => void, disabled = false, danger = false) => (
    <button
      type="button"
      role="menuitem"
      className={danger ? "menu-danger" : undefined}
      disabled={disabled}
      onClick={() => {
        setMenu(false);
        action();
      }}
    >
      <Icon name={icon} size={15} /> {label}
    </button>
  );

  return (
    <header className="chat-head">
      <button type="button" className="icon-btn chat-back" onClick={() => api.navigate({ view: "office" })} aria-label="Back to the office (Esc)" title="Back to the office (Esc)">
        <Icon name="back" />
      </button>
      <div className="chat-portrait" aria-hidden="true">
        <CharacterPortrait outfit={agent.outfit} state={status?.state ?? "idle"} size={36} />
      </div>
      <div className="chat-id">
        <div className="chat-title">
          <StatusDot state={status?.state ?? "idle"} elapsedMs={now - since} size={12} />
          <h1 className="chat-name">{agent.name}</h1>
          <span className="chat-model" title={`Model ${agent.model || "default"}, effort ${agent.effort}`}>
            {agent.model || "default model"}
          </span>
          {backend?.demo ? (
            <span className="badge badge--demo" title={backend.label}>
              demo
            </span>
          ) : (
            <span className="badge" title={backend?.label}>
              {agent.backend}
            </span>
          )}
          <span className="chat-where muted small">
            {roomName} · desk {agent.desk + 1}
          </span>
        </div>
        <div className="chat-sub">
          <Topic agentId={agent.id} status={status} />
        </div>
        <ChatPresence agentId={agent.id} />
      </div>
      <div className="chat-actions">
        {busy && status !== undefined && <Timer status={status} since={since} />}
        {busy && (
          <button type="button" className="btn btn--small btn--stop" onClick={() => void api.run({ type: "interrupt", agentId: agent.id })} title="Interrupt the running turn (Ctrl+C)">
            <Icon name="stop" size={14} /> Interrupt
          </button>
        )}
        {status?.state === "error" && status.error && !busy && <span className="pill pill--error" title={status.error}>error</span>}
        <button type="button" className="icon-btn" title="Conversations" aria-label="Conversations" onClick={() => api.openDialog({ kind: "sessions", agentId: agent.id })}>
          <Icon name="history" />
        </button>
        <div className="menu-anchor" ref={menuRef}>
          <button type="button" className="icon-btn" aria-haspopup="menu" aria-expanded={menu} aria-label="More actions" onClick={() => setMenu((m) => !m)}>
            <Icon name="more" />
          </button>
          {menu && (
            <div className="menu menu--dropdown" role="menu">
              {item("New conversation", "plus", () => void api.run({ type: "new_conversation", agentId: agent.id }), busy)}
              {item("Conversations…", "history", () => api.openDialog({ kind: "sessions", agentId: agent.id }))}
              {item("Edit agent…", "edit", () => api.openDialog({ kind: "edit", agentId: agent.id }))}
              {item("Copy conversation", "copy", () => {
                void copyText(transcript(entries ?? [])).then((ok) => api.notify(ok ? "Conversation copied" : "Could not copy", ok ? "success" : "error"));
              })}
              <div className="menu-sep" role="separator" />
              {item("Kill agent…", "trash", () => api.openDialog({ kind: "kill", agentId: agent.id }), false, true)}
            </div>
          )}
        </div>
      </div>
      {status?.broken && <p className="chat-broken">{status.broken}</p>}
    </header>
  );
}
