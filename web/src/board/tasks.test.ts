import { describe, expect, it } from "vitest";
import { task } from "../store/testdata";
import { assignedAgent, nextSort, visibleTasks } from "./tasks";

const tasks = [
  task("t1", { title: "Write docs", status: "open", priority: "P2", updatedAt: 5 }),
  task("t2", { title: "Fix login", status: "in_progress", priority: "P0", assignee: "Ada", updatedAt: 9 }),
  task("t3", { title: "Ship it", status: "done", priority: "P1", updatedAt: 7 }),
  task("t4", { title: "Tidy logs", status: "open", priority: null, description: "the LOGIN logs too", updatedAt: 3 }),
];

describe("visibleTasks", () => {
  it("shows active tasks by default, in progress first", () => {
    expect(visibleTasks(tasks, "active", "", { key: "status", descending: false }).map((t) => t.id)).toEqual(["t2", "t1", "t4"]);
  });

  it("filters by status and searches titles and descriptions", () => {
    expect(visibleTasks(tasks, "done", "", { key: "status", descending: false }).map((t) => t.id)).toEqual(["t3"]);
    expect(visibleTasks(tasks, "all", "login", { key: "title", descending: false }).map((t) => t.id)).toEqual(["t2", "t4"]);
  });

  it("sorts by any column, both ways", () => {
    const byPriority = visibleTasks(tasks, "all", "", { key: "priority", descending: false }).map((t) => t.id);
    expect(byPriority).toEqual(["t2", "t3", "t1", "t4"]);
    const byUpdate = visibleTasks(tasks, "all", "", { key: "updatedAt", descending: true }).map((t) => t.id);
    expect(byUpdate).toEqual(["t2", "t3", "t1", "t4"]);
    expect(visibleTasks(tasks, "all", "", { key: "title", descending: true }).map((t) => t.title)).toEqual(["Write docs", "Tidy logs", "Ship it", "Fix login"]);
  });

  it("clicking a column again flips it", () => {
    expect(nextSort({ key: "title", descending: false }, "title")).toEqual({ key: "title", descending: true });
    expect(nextSort({ key: "title", descending: true }, "priority")).toEqual({ key: "priority", descending: false });
  });
});

describe("assignedAgent", () => {
  it("links an assignee that is an agent's name", () => {
    const agents = [{ id: "a1", name: "Ada" }];
    expect(assignedAgent(tasks[1]!, agents)?.id).toBe("a1");
    expect(assignedAgent(task("x", { assignee: "ada " }), agents)?.id).toBe("a1");
    expect(assignedAgent(task("x", { assignee: "Someone" }), agents)).toBeUndefined();
    expect(assignedAgent(tasks[0]!, agents)).toBeUndefined();
  });
});
