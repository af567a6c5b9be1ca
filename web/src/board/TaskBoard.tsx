/**
 * The task board shared by people and agents: filter by status, search, sort by any column;
 * create, edit, claim, finish and delete (after a confirmation). An assignee that is one of the
 * office's agents links to that agent's chat.
 */

import { useMemo, useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { Icon } from "../app/icons";
import { timeAgo } from "../chat/format";
import type { Task } from "../protocol";
import { useAppState } from "../store/store";
import { TaskEditor } from "./TaskEditor";
import { assignedAgent, nextSort, STATUS_TEXT, visibleTasks, type Sort, type SortKey, type StatusFilter } from "./tasks";

const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: "active", label: "Active" },
  { value: "open", label: "Open" },
  { value: "in_progress", label: "In progress" },
  { value: "done", label: "Done" },
  { value: "all", label: "All" },
];

const COLUMNS: { key: SortKey; label: string; className: string }[] = [
  { key: "status", label: "Status", className: "col-status" },
  { key: "priority", label: "Pri", className: "col-priority" },
  { key: "title", label: "Task", className: "col-title" },
  { key: "assignee", label: "Assignee", className: "col-assignee" },
  { key: "createdBy", label: "Created by", className: "col-creator" },
  { key: "updatedAt", label: "Updated", className: "col-updated" },
];

/** The phone's sort menu says "title:desc"; the column headers do the same on wide screens. */
function parseSort(value: string): Sort {
  const [key, direction] = value.split(":");
  return { key: COLUMNS.find((c) => c.key === key)?.key ?? "status", descending: direction === "desc" };
}

function TaskRow({ task, agents, onEdit }: { task: Task; agents: { id: string; name: string }[]; onEdit(): void }): ReactElement {
  const api = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const agent = assignedAgent(task, agents);
  const act = async (command: Parameters<typeof api.run>[0]) => {
    setBusy(true);
    await api.run(command);
    setBusy(false);
  };
  return (
    <li className={`task task--${task.status}`} data-task={task.id}>
      <span className="col-status">
        <span className={`status-pill status-pill--${task.status}`}>{STATUS_TEXT[task.status]}</span>
      </span>
      <span className="col-priority">{task.priority ? <span className={`prio prio--${task.priority}`}>{task.priority}</span> : <span className="muted">—</span>}</span>
      <span className="col-title">
        <button type="button" className="task-title" onClick={onEdit}>
          {task.title}
        </button>
        {task.description && <span className="task-desc">{task.description}</span>}
      </span>
      <span className="col-assignee">
        {agent !== undefined ? (
          <button type="button" className="link-btn" onClick={() => api.navigate({ view: "chat", agentId: agent.id })} title={`Open ${agent.name}'s chat`}>
            {task.assignee}
          </button>
        ) : (
          (task.assignee ?? <span className="muted">—</span>)
        )}
      </span>
      <span className="col-creator">
        {task.createdBy}
        {task.device && <span className="muted small"> ({task.device})</span>}
      </span>
      <span className="col-updated muted small" title={new Date(task.updatedAt).toLocaleString()}>
        {timeAgo(task.updatedAt)}
      </span>
      <span className="col-actions">
        {confirming ? (
          <span className="confirm-inline">
            Delete for good?
            <button type="button" className="btn btn--small btn--danger" disabled={busy} onClick={() => void act({ type: "delete_task", taskId: task.id })}>
              Delete
            </button>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <>
            {task.status === "open" && (
              <button type="button" className="btn btn--small btn--soft" disabled={busy} onClick={() => void act({ type: "claim_task", taskId: task.id, assignee: null })} title="Take this task: it becomes yours and in progress">
                Claim
              </button>
            )}
            {task.status !== "done" && (
              <button type="button" className="btn btn--small btn--soft" disabled={busy} onClick={() => void act({ type: "complete_task", taskId: task.id })}>
                <Icon name="check" size={14} /> Done
              </button>
            )}
            <button type="button" className="icon-btn" aria-label={`Edit ${task.title}`} onClick={onEdit}>
              <Icon name="edit" size={16} />
            </button>
            <button type="button" className="icon-btn icon-btn--danger" aria-label={`Delete ${task.title}`} onClick={() => setConfirming(true)}>
              <Icon name="trash" size={16} />
            </button>
          </>
        )}
      </span>
    </li>
  );
}

export function TaskBoard(): ReactElement {
  const api = useApp();
  const tasks = useAppState((s) => s.server.tasks);
  const agents = useAppState((s) => Object.values(s.server.agents).map((a) => ({ id: a.id, name: a.name })), (a, b) => a.length === b.length && a.every((x, i) => x.id === b[i]?.id && x.name === b[i]?.name));
  const [filter, setFilter] = useState<StatusFilter>("active");
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<Sort>({ key: "status", descending: false });
  const [editing, setEditing] = useState<Task | "new" | null>(null);
  const all = useMemo(() => Object.values(tasks), [tasks]);
  const shown = useMemo(() => visibleTasks(all, filter, query, sort), [all, filter, query, sort]);
  const counts = useMemo(() => {
    const found: Record<StatusFilter, number> = { active: 0, open: 0, in_progress: 0, done: 0, all: all.length };
    for (const t of all) {
      found[t.status] += 1;
      if (t.status !== "done") found.active += 1;
    }
    return found;
  }, [all]);
  const current = editing !== null && editing !== "new" ? (tasks[editing.id] ?? null) : null;

  return (
    <div className="board">
      <header className="board-head">
        <button type="button" className="icon-btn" onClick={() => api.navigate({ view: "office" })} aria-label="Back to the office (Esc)">
          <Icon name="back" />
        </button>
        <div>
          <h1>Task board</h1>
          <p className="muted small">Shared by everyone in the office, agents included (they use the REST API).</p>
        </div>
        <span className="grow" />
        <button type="button" className="btn btn--primary" onClick={() => setEditing("new")}>
          <Icon name="plus" size={16} /> New task
        </button>
      </header>
      <div className="board-tools">
        <div className="segmented" role="radiogroup" aria-label="Show">
          {FILTERS.map((f) => (
            <button key={f.value} type="button" role="radio" aria-checked={filter === f.value} className={filter === f.value ? "on" : ""} onClick={() => setFilter(f.value)}>
              {f.label} <span className="seg-count">{counts[f.value]}</span>
            </button>
          ))}
        </div>
        <label className="sort-select">
          <span className="muted small">Sort</span>
          <select value={`${sort.key}:${sort.descending ? "desc" : "asc"}`} onChange={(e) => setSort(parseSort(e.target.value))}>
            {COLUMNS.flatMap((c) => [
              <option key={`${c.key}:asc`} value={`${c.key}:asc`}>
                {c.label} ↑
              </option>,
              <option key={`${c.key}:desc`} value={`${c.key}:desc`}>
                {c.label} ↓
              </option>,
            ])}
          </select>
        </label>
        <label className="search">
          <Icon name="search" size={16} />
          <input type="search" value={query} placeholder="Search tasks" aria-label="Search tasks" onChange={(e) => setQuery(e.target.value)} />
        </label>
      </div>
      <div className="tasks" role="region" aria-label="Tasks">
        <div className="task task--head">
          {COLUMNS.map((c) => (
            <span key={c.key} className={c.className}>
              <button type="button" className={`sort${sort.key === c.key ? " sort--on" : ""}`} onClick={() => setSort((s) => nextSort(s, c.key))} aria-label={`Sort by ${c.label}`}>
                {c.label}
                {sort.key === c.key && <span aria-hidden="true">{sort.descending ? " ↓" : " ↑"}</span>}
              </button>
            </span>
          ))}
          <span className="col-actions" />
        </div>
        {shown.length === 0 ? (
          <div className="board-empty">
            <div className="board-empty-note" aria-hidden="true" />
            <p>{all.length === 0 ? "The board is empty. Pin the first task!" : "No task matches."}</p>
          </div>
        ) : (
          <ul className="task-list">
            {shown.map((t) => (
              <TaskRow key={t.id} task={t} agents={agents} onEdit={() => setEditing(t)} />
            ))}
          </ul>
        )}
      </div>
      {editing !== null && <TaskEditor key={editing === "new" ? "new" : editing.id} task={editing === "new" ? null : current} onClose={() => setEditing(null)} />}
    </div>
  );
}
