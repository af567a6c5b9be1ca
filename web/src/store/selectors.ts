/** Derived views of the store, shared by the office, chat and task board. */

import type { DeskAgent } from "../office";
import { workingSince } from "../chat/format";
import type { AgentSpec, BackendInfo, Room } from "../protocol";
import type { AgentState, AppState, Effort, PermissionMode, ServerState } from "./state";

export function agentsInRoom(server: ServerState, roomId: string): AgentSpec[] {
  return Object.values(server.agents)
    .filter((a) => a.roomId === roomId)
    .sort((a, b) => a.desk - b.desk);
}

export function roomOf(server: ServerState, roomId: string | null): Room | undefined {
  return server.rooms.find((r) => r.id === roomId) ?? server.rooms[0];
}

export function neighbours(rooms: readonly Room[], roomId: string): { prev: Room | null; next: Room | null } {
  const index = rooms.findIndex((r) => r.id === roomId);
  return { prev: index > 0 ? (rooms[index - 1] ?? null) : null, next: index >= 0 ? (rooms[index + 1] ?? null) : null };
}

const SCENE_BACKENDS = new Set(["claude", "codex", "demo"]);

export function deskAgent(state: AppState, agent: AgentSpec): DeskAgent {
  const status = state.server.statuses[agent.id];
  const backend = SCENE_BACKENDS.has(agent.backend) ? (agent.backend as DeskAgent["backend"]) : "claude";
  return {
    id: agent.id,
    name: agent.name,
    desk: agent.desk,
    state: (status?.state ?? "idle") as AgentState,
    stateSince: workingSince(status, state.server.logs[agent.id]?.entries) ?? agent.createdAt,
    topic: status?.topic ?? null,
    outfit: agent.outfit,
    backend,
    model: agent.model,
    needsAttention: agent.id in state.ui.attention,
    queued: state.server.queues[agent.id]?.length ?? 0,
  };
}

export function openTaskCount(server: ServerState): number {
  return Object.values(server.tasks).filter((t) => t.status !== "done").length;
}

export function backendOf(server: ServerState, kind: string): BackendInfo | undefined {
  return server.backends.find((b) => b.kind === kind);
}

/*
 * The generated protocol types read `efforts: "low" | … | "max"[]` (the array binds to the last
 * member of the union); the data is a list of efforts, so it is read as one here.
 */
export function effortsOf(backend: BackendInfo | undefined): Effort[] {
  return backend?.efforts ?? [];
}

export function permissionModesOf(backend: BackendInfo | undefined): PermissionMode[] {
  return backend?.permissionModes ?? [];
}

/** A stable, pleasant neon hue for a room that has none chosen. */
export function defaultNeonHue(roomId: string): number {
  let hash = 0;
  for (const ch of roomId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hues = [322, 188, 42, 268, 148, 12];
  return hues[hash % hues.length] ?? 322;
}
