/** Creating or editing a task: title, description, priority, status and assignee (agents as chips). */

import { useState, type FormEvent, type ReactElement } from "react";
import { useApp } from "../app/context";
import { Field, FormError, Modal } from "../dialogs/Modal";
import { messageOf } from "../net/errors";
import type { Task, TaskChanges } from "../protocol";
import { useAppState } from "../store/store";
import { STATUS_TEXT } from "./tasks";

type Priority = "" | "P0" | "P1" | "P2" | "P3";
const PRIORITIES: Priority[] = ["", "P0", "P1", "P2", "P3"];

export function TaskEditor({ task, onClose }: { task: Task | null; onClose(): void }): ReactElement {
  const api = useApp();
  const agentNames = useAppState((s) => Object.values(s.server.agents).map((a) => a.name).sort());
  const [title, setTitle] = useState(task?.title ?? "");
  const [description, setDescription] = useState(task?.description ?? "");
  const [priority, setPriority] = useState<Priority>(task?.priority ?? "");
  const [status, setStatus] = useState<Task["status"]>(task?.status ?? "open");
  const [assignee, setAssignee] = useState(task?.assignee ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (task === null) {
        await api.client.command({ type: "create_task", title: title.trim(), description, priority: priority === "" ? null : priority, assignee: assignee.trim() || null });
        api.notify("Task pinned to the board", "success");
      } else {
        const changes: TaskChanges = {};
        if (title.trim() !== task.title) changes.title = title.trim();
        if (description !== task.description) changes.description = description;
        if (priority !== (task.priority ?? "")) changes.priority = priority === "" ? "none" : priority;
        if (status !== task.status) changes.status = status;
        if (assignee.trim() !== (task.assignee ?? "")) changes.assignee = assignee.trim();
        if (Object.keys(changes).length > 0) await api.client.command({ type: "update_task", taskId: task.id, changes });
      }
      onClose();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={task === null ? "New task" : "Edit task"}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          {task !== null && (
            <span className="muted small">
              Created by {task.createdBy}
              {task.device ? ` (${task.device})` : ""}
            </span>
          )}
          <span className="grow" />
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="task-form" className="btn btn--primary" disabled={busy || title.trim() === ""}>
            {busy ? "Saving…" : task === null ? "Create task" : "Save"}
          </button>
        </>
      }
    >
      <form id="task-form" onSubmit={(e) => void save(e)}>
        <Field label="Title" htmlFor="task-title">
          <input id="task-title" value={title} maxLength={300} autoFocus placeholder="e.g. Fix the flaky login test" onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label="Description" htmlFor="task-desc">
          <textarea id="task-desc" rows={5} value={description} placeholder="What done looks like, links, hints…" onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <div className="field-row">
          <Field label="Priority">
            <div className="segmented" role="radiogroup" aria-label="Priority">
              {PRIORITIES.map((p) => (
                <button key={p || "none"} type="button" role="radio" aria-checked={priority === p} className={priority === p ? "on" : ""} onClick={() => setPriority(p)}>
                  {p || "—"}
                </button>
              ))}
            </div>
          </Field>
          {task !== null && (
            <Field label="Status" htmlFor="task-status">
              <select id="task-status" value={status} onChange={(e) => setStatus(e.target.value as Task["status"])}>
                {(["open", "in_progress", "done"] as const).map((s) => (
                  <option key={s} value={s}>
                    {STATUS_TEXT[s]}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </div>
        <Field label="Assignee" htmlFor="task-assignee" hint="An agent's name links the task to that agent.">
          <input id="task-assignee" value={assignee} maxLength={60} placeholder="Nobody yet" onChange={(e) => setAssignee(e.target.value)} />
          {agentNames.length > 0 && (
            <div className="chips">
              {agentNames.map((name) => (
                <button key={name} type="button" className={`chip${assignee === name ? " chip--on" : ""}`} onClick={() => setAssignee(name)}>
                  {name}
                </button>
              ))}
            </div>
          )}
        </Field>
      </form>
      <FormError message={error} />
    </Modal>
  );
}
