/** Builders of protocol objects for the tests (not used by the app). */

import type { AgentSpec, AgentStatus, LogEntry, LogTail, QueuedMessage, Snapshot, Task } from "../protocol";

export function agentSpec(id: string, extra: Partial<AgentSpec> = {}): AgentSpec {
  return {
    id,
    name: `Agent ${id}`,
    roomId: "r1",
    desk: 0,
    cwd: "/tmp",
    backend: "demo",
    model: "demo-scripted",
    effort: "high",
    permissionMode: "default",
    prompt: "",
    outfit: { hat: "none", shirt: "#4d8fe8", hair: "#4a3125", hairStyle: "short", skin: "#f3c69d", beard: "none", accessory: "none" },
    acceptAgentMessages: true,
    createdAt: 1,
    ...extra,
  };
}

export function status(agentId: string, state: AgentStatus["state"], extra: Partial<AgentStatus> = {}): AgentStatus {
  return {
    agentId,
    state,
    since: 1000,
    turnStarted: null,
    sessionId: "s1",
    topic: null,
    topicStale: false,
    live: true,
    detail: "",
    permission: null,
    error: "",
    broken: "",
    sessionUsage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
    ...extra,
  };
}

export function text(id: string, body: string, block: string | null = null): LogEntry {
  return { type: "text", id, ts: 1, text: body, block, truncated: false };
}

export function thinking(id: string, body: string, block: string | null = null): LogEntry {
  return { type: "thinking", id, ts: 1, text: body, block, durationMs: 5, truncated: false };
}

export function turnEnd(id: string, outcome: "completed" | "interrupted" | "failed" = "completed"): LogEntry {
  return {
    type: "turn_end",
    id,
    ts: 1,
    status: outcome,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
    durationMs: 10,
    forkRef: null,
    costTotal: null,
    error: "",
  };
}

export function queued(id: string, body: string, name = "Nil", device: string | null = null): QueuedMessage {
  return { id, sender: { kind: "person", name, id: null, device }, text: body, attachments: [], createdAt: 1, editedAt: null, key: null };
}

export function userTurn(id: string, messages: QueuedMessage[]): LogEntry {
  return { type: "user_turn", id, ts: 1, messages, steered: false };
}

export function task(id: string, extra: Partial<Task> = {}): Task {
  return { id, title: `Task ${id}`, description: "", priority: null, status: "open", assignee: null, createdBy: "Nil", device: null, createdAt: 1, updatedAt: 1, ...extra };
}

export function tail(entries: LogEntry[], sessionId = "s1", older: string | null = null): LogTail {
  return { sessionId, entries, cursors: entries.map((_, i) => `${sessionId}:${i * 100}`), older };
}

export function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    epoch: "e1",
    seq: 10,
    version: "0.1.0",
    office: { prompt: "", envFile: "" },
    rooms: [{ id: "r1", name: "Room 1", prompt: "", envFile: "" }],
    agents: [],
    statuses: {},
    logs: {},
    queues: {},
    streams: {},
    tasks: [],
    recentCwds: [],
    backends: [],
    ...extra,
  };
}
