/** Confirming that an agent should leave the office for good. */

import { useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { messageOf } from "../net/errors";
import { useAppState } from "../store/store";
import { FormError, Modal } from "./Modal";

export function KillDialog({ agentId }: { agentId: string }): ReactElement {
  const api = useApp();
  const agent = useAppState((s) => s.server.agents[agentId]);
  const queued = useAppState((s) => s.server.queues[agentId]?.length ?? 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (agent === undefined) {
    return (
      <Modal title="Agent gone" onClose={api.closeDialog} size="small">
        <p>This agent is no longer in the office.</p>
      </Modal>
    );
  }
  const kill = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.client.command({ type: "kill_agent", agentId });
      api.notify(`${agent.name} has left the office`, "info");
      api.closeDialog();
      api.navigate({ view: "office" });
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`Kill ${agent.name}?`}
      onClose={api.closeDialog}
      size="small"
      busy={busy}
      footer={
        <>
          <span className="grow" />
          <button type="button" className="btn btn--ghost" onClick={api.closeDialog} autoFocus>
            Keep {agent.name}
          </button>
          <button type="button" className="btn btn--danger" disabled={busy} onClick={() => void kill()}>
            {busy ? "Killing…" : `Kill ${agent.name}`}
          </button>
        </>
      }
    >
      <p>
        {agent.name} leaves desk {agent.desk + 1} for good: a running turn is stopped
        {queued > 0 ? `, and the ${queued} message${queued === 1 ? "" : "s"} waiting in the queue ${queued === 1 ? "is" : "are"} dropped` : ""}. This cannot be undone.
      </p>
      <FormError message={error} />
    </Modal>
  );
}
