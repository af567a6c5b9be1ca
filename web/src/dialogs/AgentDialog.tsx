/**
 * Hiring an agent at a desk, or editing one: name, working directory (checked as it is typed,
 * with recent ones as chips), backend, model, effort, permission mode, its own prompt, its look,
 * whether other agents may message it, and (when editing) its room. The server has the last word:
 * a duplicate name, a full room or a bad directory is shown here, next to the field it concerns.
 */

import { useId, useMemo, useState, type FormEvent, type ReactElement } from "react";
import { useApp } from "../app/context";
import { Icon } from "../app/icons";
import { messageOf } from "../net/errors";
import { randomOutfit, type Outfit } from "../office";
import type { AgentChanges, AgentSpec, BackendInfo } from "../protocol";
import { agentsInRoom, effortsOf, permissionModesOf } from "../store/selectors";
import type { Effort, PermissionMode } from "../store/state";
import { shallowEqual, useAppState } from "../store/store";
import { Field, FormError, Modal } from "./Modal";
import { OutfitEditor } from "./OutfitEditor";
import { useCwdCheck } from "./useServerCheck";

const NAMES = ["Ada", "Grace", "Linus", "Alan", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Radia", "Guido", "Hedy", "Tim", "Katherine", "Bjarne", "Joan", "Niklaus", "Sophie", "Donald"];

export const PERMISSION_TEXT: Record<PermissionMode, string> = {
  default: "Ask me before risky tools",
  acceptEdits: "Edit files freely, ask for the rest",
  bypassPermissions: "Never ask (the safety rules still apply)",
  plan: "Plan only: read, never change",
};

function suggestName(taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  return NAMES.find((n) => !used.has(n.toLowerCase())) ?? "";
}

/** Which field a refusal from the server is about. */
export function fieldOf(message: string): "name" | "cwd" | null {
  const lower = message.toLowerCase();
  if (lower.includes("working directory") || lower.includes("not a directory") || lower.startsWith("cwd")) return "cwd";
  if (lower.includes("agent called") || lower.startsWith("name")) return "name";
  return null;
}

interface Draft {
  name: string;
  cwd: string;
  backend: string;
  model: string;
  effort: Effort;
  permissionMode: PermissionMode;
  prompt: string;
  outfit: Outfit;
  acceptAgentMessages: boolean;
  roomId: string;
}

function adaptTo(backend: BackendInfo | undefined, draft: Draft): Draft {
  const efforts = effortsOf(backend);
  const modes = permissionModesOf(backend);
  return {
    ...draft,
    backend: backend?.kind ?? draft.backend,
    model: backend?.defaultModel ?? "",
    effort: efforts.includes(draft.effort) ? draft.effort : (efforts[efforts.length - 1] ?? draft.effort),
    permissionMode: modes.includes(draft.permissionMode) ? draft.permissionMode : (modes[0] ?? draft.permissionMode),
  };
}

export function AgentDialog({ mode, agentId, roomId, desk }: { mode: "spawn" | "edit"; agentId?: string; roomId?: string; desk?: number | null }): ReactElement {
  const api = useApp();
  const ids = useId();
  const agent = useAppState((s) => (agentId ? s.server.agents[agentId] : undefined));
  const backends = useAppState((s) => s.server.backends);
  const recentCwds = useAppState((s) => s.server.recentCwds);
  const names = useAppState((s) => Object.values(s.server.agents).map((a) => a.name));
  const rooms = useAppState(
    (s) => s.server.rooms.map((r) => ({ id: r.id, name: r.name, count: agentsInRoom(s.server, r.id).length })),
    (a, b) => a.length === b.length && a.every((r, i) => shallowEqual(r, b[i])),
  );

  const [draft, setDraft] = useState<Draft>(() => {
    if (agent !== undefined) {
      const { name, cwd, backend: kind, model, effort, permissionMode, prompt, outfit, acceptAgentMessages } = agent;
      return { name, cwd, backend: kind, model, effort, permissionMode, prompt, outfit, acceptAgentMessages, roomId: agent.roomId };
    }
    const preferred = backends.find((b) => b.available && !b.demo) ?? backends.find((b) => b.available) ?? backends[0];
    return adaptTo(preferred, {
      name: suggestName(names),
      cwd: recentCwds[0] ?? "",
      backend: preferred?.kind ?? "demo",
      model: "",
      effort: "high",
      permissionMode: "default",
      prompt: "",
      outfit: randomOutfit(),
      acceptAgentMessages: true,
      roomId: roomId ?? "",
    });
  });
  const [customModel, setCustomModel] = useState(() => {
    const backend = backends.find((b) => b.kind === draft.backend);
    return draft.model !== "" && !(backend?.models ?? []).some((m) => m.id === draft.model);
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: "name" | "cwd" | null; message: string } | null>(null);
  const cwdCheck = useCwdCheck(draft.cwd);
  const backend = useMemo(() => backends.find((b) => b.kind === draft.backend), [backends, draft.backend]);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    if (error !== null && (error.field === key || error.field === null)) setError(null);
  };

  if (mode === "edit" && agent === undefined) {
    return (
      <Modal title="Agent gone" onClose={api.closeDialog} size="small">
        <p>This agent is no longer in the office.</p>
      </Modal>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      if (mode === "spawn") {
        const spawned = await api.client.command<AgentSpec>({
          type: "spawn_agent",
          name: draft.name.trim(),
          roomId: roomId ?? null,
          desk: desk ?? null,
          cwd: draft.cwd.trim(),
          backend: draft.backend,
          model: draft.model.trim(),
          effort: draft.effort,
          permissionMode: draft.permissionMode,
          prompt: draft.prompt,
          outfit: draft.outfit,
          acceptAgentMessages: draft.acceptAgentMessages,
        });
        api.notify(`${spawned.name} sits at desk ${spawned.desk + 1}. Click them to chat.`, "success");
      } else if (agent !== undefined) {
        const changes = changesOf(agent, draft);
        if (Object.keys(changes).length > 0) await api.client.command({ type: "edit_agent", agentId: agent.id, changes });
        if (draft.roomId !== agent.roomId) await api.client.command({ type: "move_agent", agentId: agent.id, roomId: draft.roomId, desk: null });
        api.notify(`Saved ${draft.name.trim()}`, "success");
      }
      api.closeDialog();
    } catch (failure) {
      const message = messageOf(failure);
      setError({ field: fieldOf(message), message });
    } finally {
      setBusy(false);
    }
  };

  const cwdError = error?.field === "cwd" ? error.message : cwdCheck.state === "bad" ? cwdCheck.message : null;
  const cwdHint =
    cwdCheck.state === "ok" ? (
      <span className="ok">✓ {cwdCheck.value}</span>
    ) : cwdCheck.state === "checking" ? (
      "checking…"
    ) : cwdCheck.state === "unknown" ? (
      cwdCheck.message
    ) : (
      "An absolute path: the agent works in this directory."
    );
  const efforts = effortsOf(backend);
  const modes = permissionModesOf(backend);
  const title = mode === "spawn" ? `Hire an agent${desk !== null && desk !== undefined ? ` at desk ${desk + 1}` : ""}` : `Edit ${agent?.name ?? "agent"}`;
  const canSave = draft.name.trim() !== "" && draft.cwd.trim() !== "" && (mode === "edit" || backend?.available !== false) && !busy;

  return (
    <Modal
      title={title}
      onClose={api.closeDialog}
      size="large"
      busy={busy}
      footer={
        <>
          {mode === "edit" && agent !== undefined && (
            <button type="button" className="btn btn--danger-soft" onClick={() => api.openDialog({ kind: "kill", agentId: agent.id })}>
              <Icon name="trash" size={15} /> Kill…
            </button>
          )}
          <span className="grow" />
          <button type="button" className="btn btn--ghost" onClick={api.closeDialog}>
            Cancel
          </button>
          <button type="submit" form={`${ids}-form`} className="btn btn--primary" disabled={!canSave}>
            {busy ? "Saving…" : mode === "spawn" ? "Hire" : "Save"}
          </button>
        </>
      }
    >
      <form id={`${ids}-form`} className="agent-form" onSubmit={(e) => void submit(e)}>
        <div className="agent-form-main">
          <Field label="Name" htmlFor={`${ids}-name`} error={error?.field === "name" ? error.message : null}>
            <input id={`${ids}-name`} value={draft.name} maxLength={40} autoFocus placeholder="e.g. Ada" onChange={(e) => set("name", e.target.value)} />
          </Field>
          <Field label="Working directory" htmlFor={`${ids}-cwd`} error={cwdError} hint={cwdHint}>
            <input id={`${ids}-cwd`} value={draft.cwd} placeholder="/home/you/project" spellCheck={false} autoComplete="off" onChange={(e) => set("cwd", e.target.value)} />
            {recentCwds.length > 0 && (
              <div className="chips" aria-label="Recent directories">
                {recentCwds.slice(0, 6).map((cwd) => (
                  <button key={cwd} type="button" className={`chip${cwd === draft.cwd ? " chip--on" : ""}`} onClick={() => set("cwd", cwd)} title={cwd}>
                    {shortPath(cwd)}
                  </button>
                ))}
              </div>
            )}
          </Field>
          {mode === "spawn" ? (
            <fieldset className="field backends">
              <legend className="field-label">Backend</legend>
              {backends.map((b) => (
                <label key={b.kind} className={`backend-card${b.kind === draft.backend ? " backend-card--on" : ""}${b.available ? "" : " backend-card--off"}`}>
                  <input type="radio" name={`${ids}-backend`} value={b.kind} checked={b.kind === draft.backend} disabled={!b.available} onChange={() => setDraft((d) => adaptTo(b, d))} />
                  <span className="backend-name">
                    {b.label}
                    {b.demo && <span className="badge badge--demo">demo</span>}
                  </span>
                  <span className="backend-note">{!b.available ? b.problem : b.demo ? "Scripted replies, no model: try the office without logging in anywhere." : `Models: ${b.models.map((m) => m.label).join(", ") || "default"}`}</span>
                </label>
              ))}
            </fieldset>
          ) : (
            <Field label="Backend">
              <p className="static-value">
                {backend?.label ?? draft.backend} {backend?.demo && <span className="badge badge--demo">demo</span>}
              </p>
            </Field>
          )}
          <div className="field-row">
            <Field label="Model" htmlFor={`${ids}-model`}>
              {customModel ? (
                <div className="inline-pair">
                  <input id={`${ids}-model`} value={draft.model} placeholder={backend?.defaultModel ?? "model id"} onChange={(e) => set("model", e.target.value)} />
                  <button type="button" className="btn btn--ghost btn--small" onClick={() => setCustomModel(false)}>
                    List
                  </button>
                </div>
              ) : (
                <select
                  id={`${ids}-model`}
                  value={draft.model}
                  onChange={(e) => {
                    if (e.target.value === "\u0000custom") setCustomModel(true);
                    else set("model", e.target.value);
                  }}
                >
                  {(backend?.models ?? []).map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.label}
                    </option>
                  ))}
                  {!(backend?.models ?? []).some((m) => m.id === draft.model) && <option value={draft.model}>{draft.model || "default"}</option>}
                  <option value={"\u0000custom"}>Other…</option>
                </select>
              )}
            </Field>
            <Field label="Effort">
              <div className="segmented" role="radiogroup" aria-label="Effort">
                {efforts.map((effort) => (
                  <button key={effort} type="button" role="radio" aria-checked={draft.effort === effort} className={draft.effort === effort ? "on" : ""} onClick={() => set("effort", effort)}>
                    {effort}
                  </button>
                ))}
              </div>
            </Field>
          </div>
          <Field label="Permissions" htmlFor={`${ids}-perm`}>
            <select id={`${ids}-perm`} value={draft.permissionMode} onChange={(e) => set("permissionMode", e.target.value as PermissionMode)}>
              {modes.map((m) => (
                <option key={m} value={m}>
                  {PERMISSION_TEXT[m] ?? m}
                </option>
              ))}
            </select>
          </Field>
          {mode === "edit" && (
            <Field label="Room" htmlFor={`${ids}-room`} hint="Moving takes the first free desk there.">
              <select id={`${ids}-room`} value={draft.roomId} onChange={(e) => set("roomId", e.target.value)}>
                {rooms.map((r) => (
                  <option key={r.id} value={r.id} disabled={r.id !== agent?.roomId && r.count >= 8}>
                    {r.name} ({r.count}/8)
                  </option>
                ))}
              </select>
            </Field>
          )}
          <Field label="Agent prompt" htmlFor={`${ids}-prompt`} hint="Added to the office and room rules for this agent only.">
            <textarea id={`${ids}-prompt`} rows={3} value={draft.prompt} placeholder="e.g. You own the billing service. Keep changes small." onChange={(e) => set("prompt", e.target.value)} />
          </Field>
          <label className="check">
            <input type="checkbox" checked={draft.acceptAgentMessages} onChange={(e) => set("acceptAgentMessages", e.target.checked)} />
            Accept messages from other agents
          </label>
        </div>
        <div className="agent-form-look">
          <span className="field-label">Look</span>
          <OutfitEditor outfit={draft.outfit} name={draft.name} onChange={(o) => set("outfit", o)} />
        </div>
      </form>
      <FormError message={error !== null && error.field === null ? error.message : null} />
    </Modal>
  );
}

function changesOf(agent: AgentSpec, draft: Draft): AgentChanges {
  const changes: AgentChanges = {};
  if (draft.name.trim() !== agent.name) changes.name = draft.name.trim();
  if (draft.cwd.trim() !== agent.cwd) changes.cwd = draft.cwd.trim();
  if (draft.model.trim() !== agent.model) changes.model = draft.model.trim();
  if (draft.effort !== agent.effort) changes.effort = draft.effort;
  if (draft.permissionMode !== agent.permissionMode) changes.permissionMode = draft.permissionMode;
  if (draft.prompt !== agent.prompt) changes.prompt = draft.prompt;
  if (JSON.stringify(draft.outfit) !== JSON.stringify(agent.outfit)) changes.outfit = draft.outfit;
  if (draft.acceptAgentMessages !== agent.acceptAgentMessages) changes.acceptAgentMessages = draft.acceptAgentMessages;
  return changes;
}

export function shortPath(path: string): string {
  const parts = path.split("/").filter(Boolean);
  return parts.length <= 2 ? path : `…/${parts.slice(-2).join("/")}`;
}

