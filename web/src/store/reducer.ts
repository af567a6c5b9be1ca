/**
 * The store's reducer. Server frames are its actions: a welcome replaces everything the server
 * owns, events are applied in sequence order with the same rules as the server's projection
 * (`isomux/projection.py`), and stream deltas grow the block in progress until its final entry
 * arrives. Local actions (the chat being looked at, the connection, paged history) sit beside them.
 */

import type { AgentStatus, Identity, LogEntry, LogPage, OfficeEvent, SeqEvent, Snapshot, StreamDelta, StreamState, Visitor } from "../protocol";
import { appendEntry, blockFinished, fromTail, prependPage, replaceEntry } from "./log";
import { EMPTY_SERVER, type AgentLog, type AgentState, type AppState, type AuthState, type ConnectionState, type PendingView, type ServerState, type UiState } from "./state";

export type Action =
  | { type: "welcome"; snapshot: Snapshot }
  | { type: "events"; items: SeqEvent[] }
  | { type: "deltas"; deltas: StreamDelta[] }
  | { type: "log_page"; agentId: string; before: string; page: LogPage }
  | { type: "entry_full"; agentId: string; entry: LogEntry }
  | { type: "connection"; state: ConnectionState }
  | { type: "view"; agentId: string | null }
  | { type: "pending"; pending: PendingView[] }
  | { type: "identity"; identity: Identity }
  | { type: "presence"; people: Visitor[] }
  | { type: "auth"; state: AuthState }
  | { type: "typing"; typing: boolean };

function isWorking(state: AgentState | undefined): boolean {
  return state === "thinking" || state === "tool";
}

/** Going from working to anything else (done, waiting for a person, failed) deserves a look. */
export function finishedWorking(before: AgentState | undefined, after: AgentState): boolean {
  return isWorking(before) && !isWorking(after);
}

function without<T>(table: Record<string, T>, key: string): Record<string, T> {
  if (!(key in table)) return table;
  const copy = { ...table };
  delete copy[key];
  return copy;
}

function fromSnapshot(s: Snapshot): ServerState {
  const logs: Record<string, AgentLog> = {};
  for (const [agentId, tail] of Object.entries(s.logs)) logs[agentId] = fromTail(tail);
  return {
    epoch: s.epoch,
    seq: s.seq,
    version: s.version,
    office: s.office,
    rooms: s.rooms,
    agents: Object.fromEntries(s.agents.map((a) => [a.id, a])),
    statuses: s.statuses,
    logs,
    queues: s.queues,
    streams: s.streams,
    tasks: Object.fromEntries(s.tasks.map((t) => [t.id, t])),
    recentCwds: s.recentCwds,
    backends: s.backends,
  };
}

function noteStatus(ui: UiState, before: AgentStatus | undefined, after: AgentStatus): UiState {
  if (!finishedWorking(before?.state, after.state)) return ui;
  const attention = ui.viewing === after.agentId ? ui.attention : { ...ui.attention, [after.agentId]: after.since };
  return { ...ui, attention, chime: ui.chime + 1 };
}

function welcome(state: AppState, snapshot: Snapshot): AppState {
  const server = fromSnapshot(snapshot);
  let ui: UiState = { ...state.ui, loaded: true };
  // Agents that finished while this browser was away count as finishing now.
  for (const status of Object.values(server.statuses)) {
    ui = noteStatus(ui, state.server.statuses[status.agentId], status);
  }
  const attention = Object.fromEntries(Object.entries(ui.attention).filter(([id]) => id in server.agents));
  return { server, ui: { ...ui, attention } };
}

function settleStream(streams: Record<string, StreamState[]>, agentId: string, entry: LogEntry): Record<string, StreamState[]> {
  const current = streams[agentId];
  if (current === undefined || current.length === 0) return streams;
  if (entry.type === "turn_end") return without(streams, agentId);
  if ((entry.type === "text" || entry.type === "thinking") && entry.block !== null) {
    const block = entry.block;
    const rest = current.filter((s) => s.block !== block);
    if (rest.length === current.length) return streams;
    return rest.length === 0 ? without(streams, agentId) : { ...streams, [agentId]: rest };
  }
  return streams;
}

function applyEvent(state: AppState, event: OfficeEvent): AppState {
  const s = state.server;
  switch (event.type) {
    case "office_changed":
      return { ...state, server: { ...s, office: event.settings } };
    case "rooms_changed":
      return { ...state, server: { ...s, rooms: event.rooms } };
    case "agent_added":
    case "agent_updated":
      return { ...state, server: { ...s, agents: { ...s.agents, [event.agent.id]: event.agent } } };
    case "agent_removed": {
      const id = event.agentId;
      const server = {
        ...s,
        agents: without(s.agents, id),
        statuses: without(s.statuses, id),
        logs: without(s.logs, id),
        queues: without(s.queues, id),
        streams: without(s.streams, id),
      };
      return { server, ui: { ...state.ui, attention: without(state.ui.attention, id) } };
    }
    case "status_changed": {
      const status = event.status;
      const ui = noteStatus(state.ui, s.statuses[status.agentId], status);
      return { server: { ...s, statuses: { ...s.statuses, [status.agentId]: status } }, ui };
    }
    case "log_appended": {
      const log = appendEntry(s.logs[event.agentId], event.sessionId, event.entry, event.cursor);
      const streams = settleStream(s.streams, event.agentId, event.entry);
      return { ...state, server: { ...s, logs: { ...s.logs, [event.agentId]: log }, streams } };
    }
    case "log_reset":
      return {
        ...state,
        server: { ...s, logs: { ...s.logs, [event.agentId]: fromTail(event.tail) }, streams: without(s.streams, event.agentId) },
      };
    case "queue_changed":
      return { ...state, server: { ...s, queues: { ...s.queues, [event.agentId]: event.messages } } };
    case "task_changed":
      return { ...state, server: { ...s, tasks: { ...s.tasks, [event.task.id]: event.task } } };
    case "task_removed":
      return { ...state, server: { ...s, tasks: without(s.tasks, event.taskId) } };
    case "recent_cwds_changed":
      return { ...state, server: { ...s, recentCwds: event.cwds } };
  }
}

function applyDelta(streams: Record<string, StreamState[]>, logs: Record<string, AgentLog>, delta: StreamDelta): Record<string, StreamState[]> {
  if (blockFinished(logs[delta.agentId], delta.block)) return streams;
  const current = streams[delta.agentId] ?? [];
  const index = current.findIndex((s) => s.block === delta.block);
  const next = [...current];
  if (index < 0) next.push({ block: delta.block, kind: delta.kind, text: delta.text });
  else {
    const found = current[index] as StreamState;
    next[index] = { ...found, text: found.text + delta.text };
  }
  return { ...streams, [delta.agentId]: next };
}

/** Signed out, the browser forgets everything the office showed it: the next person starts clean. */
function signedIn(state: AppState, auth: AuthState): AppState {
  if (state.ui.auth === auth) return state;
  if (auth !== "signed_out") return { ...state, ui: { ...state.ui, auth } };
  return {
    server: EMPTY_SERVER,
    ui: { ...state.ui, auth, me: null, presence: [], typing: false, loaded: false, attention: {}, viewing: null },
  };
}

export function reduce(state: AppState, action: Action): AppState {
  switch (action.type) {
    case "welcome":
      return welcome(state, action.snapshot);
    case "events": {
      let next = state;
      for (const item of action.items) {
        if (item.seq <= next.server.seq) continue; // already applied (a replay overlapping what we had)
        next = applyEvent(next, item.event);
        next = { ...next, server: { ...next.server, seq: item.seq } };
      }
      return next;
    }
    case "deltas": {
      let streams = state.server.streams;
      for (const delta of action.deltas) streams = applyDelta(streams, state.server.logs, delta);
      return streams === state.server.streams ? state : { ...state, server: { ...state.server, streams } };
    }
    case "log_page": {
      const log = prependPage(state.server.logs[action.agentId], action.before, action.page);
      if (log === state.server.logs[action.agentId] || log === undefined) return state;
      return { ...state, server: { ...state.server, logs: { ...state.server.logs, [action.agentId]: log } } };
    }
    case "entry_full": {
      const log = replaceEntry(state.server.logs[action.agentId], action.entry);
      if (log === state.server.logs[action.agentId] || log === undefined) return state;
      return { ...state, server: { ...state.server, logs: { ...state.server.logs, [action.agentId]: log } } };
    }
    case "connection":
      return state.ui.connection === action.state ? state : { ...state, ui: { ...state.ui, connection: action.state } };
    case "view":
      return {
        ...state,
        ui: {
          ...state.ui,
          viewing: action.agentId,
          attention: action.agentId === null ? state.ui.attention : without(state.ui.attention, action.agentId),
        },
      };
    case "pending":
      return { ...state, ui: { ...state.ui, pending: action.pending } };
    case "identity": {
      const { name, device, role, rooms } = action.identity;
      return { ...state, ui: { ...state.ui, auth: "signed_in", me: { name, device, role, rooms } } };
    }
    case "presence":
      return { ...state, ui: { ...state.ui, presence: action.people } };
    case "auth":
      return signedIn(state, action.state);
    case "typing":
      return state.ui.typing === action.typing ? state : { ...state, ui: { ...state.ui, typing: action.typing } };
  }
}
