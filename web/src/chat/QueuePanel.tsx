/**
 * Messages waiting for a busy agent, shown to everyone who looks at it: each can be edited or
 * withdrawn until it is delivered, and "Send now" delivers them at once. Below them, what this
 * browser has sent but the office has not confirmed yet (e.g. typed while offline).
 */

import { useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { Icon } from "../app/icons";
import type { QueuedMessage } from "../protocol";
import type { PendingView } from "../store/state";
import { shallowEqual, useAppState } from "../store/store";
import { Attachments } from "./Entries";

function QueuedItem({ agentId, message }: { agentId: string; message: QueuedMessage }): ReactElement {
  const api = useApp();
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (editing === null || editing.trim() === "") return;
    setBusy(true);
    const result = await api.run({ type: "edit_queued", agentId, messageId: message.id, text: editing });
    setBusy(false);
    if (result !== undefined) setEditing(null);
  };
  const withdraw = async () => {
    setBusy(true);
    await api.run({ type: "withdraw_queued", agentId, messageId: message.id });
    setBusy(false);
  };
  const who = message.sender.device ? `${message.sender.name} (${message.sender.device})` : message.sender.name;
  return (
    <li className="queued" data-queued={message.id}>
      <div className="queued-head">
        <span className="queued-sender">{who}</span>
        {message.editedAt !== null && <span className="muted small">edited</span>}
        <span className="grow" />
        {editing === null && (
          <>
            <button type="button" className="mini-btn" disabled={busy} onClick={() => setEditing(message.text)} aria-label="Edit this queued message">
              <Icon name="edit" size={13} /> Edit
            </button>
            <button type="button" className="mini-btn" disabled={busy} onClick={() => void withdraw()} aria-label="Withdraw this queued message">
              <Icon name="close" size={13} /> Withdraw
            </button>
          </>
        )}
      </div>
      {editing === null ? (
        <div className="queued-text">{message.text}</div>
      ) : (
        <div className="queued-edit">
          <textarea
            value={editing}
            autoFocus
            rows={Math.min(6, Math.max(2, editing.split("\n").length))}
            onChange={(e) => setEditing(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void save();
              } else if (e.key === "Escape") {
                e.stopPropagation();
                setEditing(null);
              }
            }}
          />
          <div className="queued-edit-actions">
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="button" className="btn btn--primary btn--small" disabled={busy || editing.trim() === ""} onClick={() => void save()}>
              Save
            </button>
          </div>
        </div>
      )}
      <Attachments message={message} agentId={agentId} />
    </li>
  );
}

/** A message typed while the connection is down: it goes out as soon as the connection is back. */
function PendingItem({ item }: { item: PendingView }): ReactElement {
  const api = useApp();
  return (
    <li className="queued queued--offline">
      <div className="queued-head">
        <span className="queued-sender">Waiting for the connection</span>
        <span className="grow" />
        <button type="button" className="mini-btn" onClick={() => api.client.cancel(item.requestId)}>
          <Icon name="close" size={13} /> Don’t send
        </button>
      </div>
      <div className="queued-text">{item.text}</div>
    </li>
  );
}

const NO_MESSAGES: QueuedMessage[] = [];

export function QueuePanel({ agentId, agentName, busy, canSteer }: { agentId: string; agentName: string; busy: boolean; canSteer: boolean }): ReactElement | null {
  const api = useApp();
  const queue = useAppState((s) => s.server.queues[agentId] ?? NO_MESSAGES);
  const pending = useAppState((s) => s.ui.pending.filter((p) => p.agentId === agentId && p.type === "send_message" && !p.sent), (a, b) => a.length === b.length && a.every((p, i) => shallowEqual(p, b[i])));
  const [sending, setSending] = useState(false);
  if (queue.length === 0 && pending.length === 0) return null;
  const sendNow = async () => {
    setSending(true);
    await api.run({ type: "send_now", agentId });
    setSending(false);
  };
  return (
    <section className="queue" aria-label={`Waiting for ${agentName}`}>
      {queue.length > 0 && (
        <div className="queue-head">
          <span>
            {queue.length} waiting for {agentName}
            <span className="muted"> · delivered together when {agentName} is free</span>
          </span>
          <span className="grow" />
          {busy && (
            <button
              type="button"
              className="btn btn--small btn--accent"
              disabled={sending}
              onClick={() => void sendNow()}
              title={canSteer ? "Add these to the running turn now" : `Interrupt ${agentName} and deliver these now`}
            >
              <Icon name="bolt" size={14} /> Send now
            </button>
          )}
        </div>
      )}
      <ul className="queue-list">
        {queue.map((m) => (
          <QueuedItem key={m.id} agentId={agentId} message={m} />
        ))}
        {pending.map((p) => (
          <PendingItem key={p.requestId} item={p} />
        ))}
      </ul>
    </section>
  );
}
