/** Pure formatting for the chat: the working timer and its colour, tool summaries, sizes, usage. */

import type { AgentStatus, LogEntry, Usage } from "../protocol";

/** The timer turns amber after two minutes of work and red after five (like the desk lights). */
export const AMBER_AFTER_MS = 2 * 60_000;
export const RED_AFTER_MS = 5 * 60_000;

export type TimerTone = "calm" | "amber" | "red";

export function timerTone(elapsedMs: number): TimerTone {
  if (elapsedMs >= RED_AFTER_MS) return "red";
  if (elapsedMs >= AMBER_AFTER_MS) return "amber";
  return "calm";
}

/** "0:07", "1:23", "1:02:03". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

/** "0.4 s", "12 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** What the agent is doing, in words, for the header and the activity line. */
export function activityWord(status: AgentStatus | undefined): string {
  if (status === undefined) return "asleep";
  if (status.permission !== null) return "needs your permission";
  switch (status.state) {
    case "thinking":
      return "thinking";
    case "tool":
      return status.detail ? `running ${status.detail}` : "running a tool";
    case "waiting":
      return "waiting for you";
    case "error":
      return "stopped with an error";
    case "idle":
      return "asleep";
  }
}

/** A turn is running: the agent is working, or paused on a permission request. */
export function isBusy(status: AgentStatus | undefined): boolean {
  if (status === undefined) return false;
  return status.state === "thinking" || status.state === "tool" || status.permission !== null;
}

/**
 * When the running turn began: the working timer and the desk light measure the whole turn, not
 * just the current step (an agent alternates between thinking and tools many times in one turn).
 * Waiting for a permission is timed on its own.
 */
export function workingSince(status: AgentStatus | undefined, entries: readonly LogEntry[] | undefined): number | null {
  if (status === undefined) return null;
  if (status.permission !== null || (status.state !== "thinking" && status.state !== "tool")) return status.since;
  for (let i = (entries?.length ?? 0) - 1; i >= 0; i--) {
    const entry = entries?.[i];
    if (entry?.type === "turn_end") break;
    if (entry?.type === "user_turn" && !entry.steered) return Math.min(entry.ts, status.since);
  }
  return status.since;
}

const SUMMARY_KEYS = ["command", "cmd", "file_path", "path", "pattern", "query", "url", "description", "prompt", "summary"];

/** One line saying what a tool call is about: its command, path, pattern or query. */
export function toolSummary(input: Record<string, unknown>, max = 140): string {
  for (const key of SUMMARY_KEYS) {
    const value = input[key];
    if (typeof value === "string" && value.trim() !== "") return clip(value, max);
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return clip(value.join(" "), max);
  }
  for (const value of Object.values(input)) {
    if (typeof value === "string" && value.trim() !== "") return clip(value, max);
  }
  return "";
}

export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "1.2k in · 340 out · $0.012", or "" when nothing was counted. */
export function formatUsage(usage: Usage): string {
  const parts: string[] = [];
  const tokens = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(n));
  const input = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  if (input > 0) parts.push(`${tokens(input)} in`);
  if (usage.outputTokens > 0) parts.push(`${tokens(usage.outputTokens)} out`);
  if (usage.costUsd > 0) parts.push(`$${usage.costUsd < 0.01 ? usage.costUsd.toFixed(4) : usage.costUsd.toFixed(2)}`);
  return parts.join(" · ");
}

export function formatTime(ts: number, now: number = Date.now()): string {
  const date = new Date(ts);
  const today = new Date(now);
  const sameDay = date.toDateString() === today.toDateString();
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (sameDay) return time;
  return `${date.toLocaleDateString([], { month: "short", day: "numeric" })} ${time}`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function timeAgo(ts: number, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - ts) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? "yesterday" : `${days} days ago`;
}
