/**
 * An agent's conversations, newest first: resume any of them, or start a new one. A branch made by
 * editing a past message is marked ↳; a conversation that was branched from is dimmed (its
 * branches continue it).
 */

import { useEffect, useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { Icon } from "../app/icons";
import { formatTime, isBusy, timeAgo } from "../chat/format";
import { messageOf } from "../net/errors";
import type { SessionInfo } from "../protocol";
import { useAppState } from "../store/store";
import { FormError, Modal } from "./Modal";

export function SessionsDialog({ agentId }: { agentId: string }): ReactElement {
  const api = useApp();
  const agent = useAppState((s) => s.server.agents[agentId]);
  const current = useAppState((s) => s.server.statuses[agentId]?.sessionId ?? null);
  const busy = useAppState((s) => isBusy(s.server.statuses[agentId]));
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  useEffect(() => {
    let live = true;
    api.client
      .command<SessionInfo[]>({ type: "list_sessions", agentId })
      .then((list) => live && setSessions(list))
      .catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [api.client, agentId]);

  const act = async (command: Parameters<typeof api.client.command>[0]) => {
    setWorking(true);
    setError(null);
    try {
      await api.client.command(command);
      api.closeDialog();
      api.navigate({ view: "chat", agentId });
    } catch (failure) {
      setError(messageOf(failure));
      setWorking(false);
    }
  };

  const parents = new Set((sessions ?? []).map((s) => s.forkedFrom).filter((id): id is string => id !== null));
  return (
    <Modal
      title={`${agent?.name ?? "Agent"}: conversations`}
      onClose={api.closeDialog}
      busy={working}
      footer={
        <>
          {busy && <span className="muted small">Interrupt the running turn to switch.</span>}
          <span className="grow" />
          <button type="button" className="btn btn--primary" disabled={busy || working} onClick={() => void act({ type: "new_conversation", agentId })}>
            <Icon name="plus" size={15} /> New conversation
          </button>
        </>
      }
    >
      {sessions === null && error === null && <p className="muted">Loading…</p>}
      {sessions !== null && sessions.length === 0 && <p className="muted">No conversations yet: send a message to start one.</p>}
      {sessions !== null && sessions.length > 0 && (
        <ul className="sessions">
          {sessions.map((s) => {
            const isCurrent = s.id === current;
            return (
              <li key={s.id} className={`session${isCurrent ? " session--current" : ""}${parents.has(s.id) ? " session--branched" : ""}`}>
                <button type="button" disabled={isCurrent || busy || working} onClick={() => void act({ type: "resume_session", agentId, sessionId: s.id })} title={isCurrent ? "This is the conversation on screen" : "Resume this conversation"}>
                  <span className="session-topic">
                    {s.forkedFrom !== null && (
                      <span className="session-fork" title="Branched from an earlier conversation">
                        ↳{" "}
                      </span>
                    )}
                    {s.topic ?? "Untitled conversation"}
                  </span>
                  <span className="session-meta">
                    {isCurrent && <span className="badge">current</span>}
                    {parents.has(s.id) && <span className="badge badge--muted">branched from</span>}
                    <span title={formatTime(s.updatedAt)}>{timeAgo(s.updatedAt)}</span>
                    <span>
                      {s.turns} turn{s.turns === 1 ? "" : "s"}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <FormError message={error} />
    </Modal>
  );
}
