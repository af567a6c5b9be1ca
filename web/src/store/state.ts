/**
 * The shape of the app's one store: what the server told us (rebuilt from its events, the same
 * way the server's projection is) and the local UI state that depends on it.
 */

import type {
  AgentSpec,
  AgentStatus,
  BackendInfo,
  LogEntry,
  OfficeSettings,
  QueuedMessage,
  Room,
  StreamState,
  Task,
  Visitor,
} from "../protocol";

export type Effort = AgentSpec["effort"];
export type PermissionMode = AgentSpec["permissionMode"];
export type AgentState = AgentStatus["state"];

/** The part of one agent's conversation this browser holds: a window that grows backwards on demand. */
export interface AgentLog {
  sessionId: string | null;
  entries: LogEntry[];
  /** Each entry's own cursor ("" when unknown), parallel to `entries`. */
  cursors: string[];
  /** Pass as `before` to fetch the entries just older than `entries[0]`; null at the very start. */
  older: string | null;
}

export interface ServerState {
  epoch: string | null;
  /** The newest event sequence number applied. */
  seq: number;
  version: string;
  office: OfficeSettings;
  rooms: Room[];
  agents: Record<string, AgentSpec>;
  statuses: Record<string, AgentStatus>;
  logs: Record<string, AgentLog>;
  queues: Record<string, QueuedMessage[]>;
  /** Text being streamed, per agent, by block, in arrival order. */
  streams: Record<string, StreamState[]>;
  tasks: Record<string, Task>;
  recentCwds: string[];
  backends: BackendInfo[];
}

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/** unknown until the office has said who this browser is, or `/api/me` has said nobody. */
export type AuthState = "unknown" | "signed_in" | "signed_out";

/** Who this browser is signed in as, exactly as the office told it (never chosen by the browser). */
export interface Me {
  name: string;
  device: string | null;
  role: string;
  /** null: every room. */
  rooms: string[] | null;
}

/** A command accepted by this browser and not yet answered by the server. */
export interface PendingView {
  requestId: string;
  type: string;
  agentId: string | null;
  text: string | null;
  /** Sent on the current connection (false: waiting for the connection to come back). */
  sent: boolean;
}

export interface UiState {
  connection: ConnectionState;
  /** True once a snapshot has arrived (before that, nothing is known about the office). */
  loaded: boolean;
  /** The agent whose chat is open, if any. */
  viewing: string | null;
  /** Agents that finished working while nobody looked, with when it happened. */
  attention: Record<string, number>;
  /** Bumped whenever an agent finishes working; the sound effect watches it. */
  chime: number;
  pending: PendingView[];
  auth: AuthState;
  me: Me | null;
  /** Every browser connected to the office (this one included, marked `you`). */
  presence: Visitor[];
  /** This browser's person is typing in the open chat. */
  typing: boolean;
}

export interface AppState {
  server: ServerState;
  ui: UiState;
}

export const EMPTY_SERVER: ServerState = {
  epoch: null,
  seq: 0,
  version: "",
  office: { prompt: "", envFile: "" },
  rooms: [],
  agents: {},
  statuses: {},
  logs: {},
  queues: {},
  streams: {},
  tasks: {},
  recentCwds: [],
  backends: [],
};

export const INITIAL_STATE: AppState = {
  server: EMPTY_SERVER,
  ui: {
    connection: "connecting",
    loaded: false,
    viewing: null,
    attention: {},
    chime: 0,
    pending: [],
    auth: "unknown",
    me: null,
    presence: [],
    typing: false,
  },
};

export const EMPTY_LOG: AgentLog = { sessionId: null, entries: [], cursors: [], older: null };
