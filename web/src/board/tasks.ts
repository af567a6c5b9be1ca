/** Filtering, searching and sorting the task board (pure, so it is easy to test). */

import type { Task } from "../protocol";

export type StatusFilter = "active" | "all" | "open" | "in_progress" | "done";
export type SortKey = "status" | "priority" | "title" | "assignee" | "createdBy" | "updatedAt";
export interface Sort {
  key: SortKey;
  descending: boolean;
}

const STATUS_ORDER: Record<Task["status"], number> = { in_progress: 0, open: 1, done: 2 };
const PRIORITY_ORDER: Record<string, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

export const STATUS_TEXT: Record<Task["status"], string> = { open: "Open", in_progress: "In progress", done: "Done" };

export function matchesStatus(task: Task, filter: StatusFilter): boolean {
  if (filter === "all") return true;
  if (filter === "active") return task.status !== "done";
  return task.status === filter;
}

export function matchesSearch(task: Task, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === "") return true;
  return [task.title, task.description, task.assignee ?? "", task.createdBy, task.id].some((field) => field.toLowerCase().includes(q));
}

function compare(a: Task, b: Task, key: SortKey): number {
  switch (key) {
    case "status":
      return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    case "priority":
      return (PRIORITY_ORDER[a.priority ?? ""] ?? 9) - (PRIORITY_ORDER[b.priority ?? ""] ?? 9);
    case "title":
      return a.title.localeCompare(b.title, undefined, { sensitivity: "base" });
    case "assignee":
      // Unassigned tasks go last whichever way the column is sorted.
      return (a.assignee ?? "\uffff").localeCompare(b.assignee ?? "\uffff", undefined, { sensitivity: "base" });
    case "createdBy":
      return a.createdBy.localeCompare(b.createdBy, undefined, { sensitivity: "base" });
    case "updatedAt":
      return a.updatedAt - b.updatedAt;
  }
}

/** The tasks to show, in order; ties fall back to priority, then the newest first. */
export function visibleTasks(tasks: readonly Task[], filter: StatusFilter, query: string, sort: Sort): Task[] {
  return tasks
    .filter((t) => matchesStatus(t, filter) && matchesSearch(t, query))
    .sort((a, b) => {
      const primary = compare(a, b, sort.key) * (sort.descending ? -1 : 1);
      if (primary !== 0) return primary;
      return compare(a, b, "priority") || b.updatedAt - a.updatedAt;
    });
}

export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key === "updatedAt" };
}

/** The agent a task is assigned to, when the assignee is one of the office's agents. */
export function assignedAgent<T extends { id: string; name: string }>(task: Task, agents: readonly T[]): T | undefined {
  const name = task.assignee?.trim().toLowerCase();
  if (!name) return undefined;
  return agents.find((a) => a.name.toLowerCase() === name);
}
