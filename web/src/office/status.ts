/** Pure rules behind status lights, monitor glow, model props and accessible desk labels. */

import type { AgentState, DeskAgent } from "./types";

export type LightColor = "green" | "amber" | "red" | "purple" | "grey";

/** A working agent's light turns amber after this long in the same state... */
export const WARN_AFTER_MS = 2 * 60_000;
/** ...and red after this long. */
export const ALARM_AFTER_MS = 5 * 60_000;

export function isWorking(state: AgentState): boolean {
  return state === "thinking" || state === "tool";
}

export function lightColor(state: AgentState, elapsedMs: number): LightColor {
  switch (state) {
    case "idle":
      return "grey";
    case "waiting":
      return "purple";
    case "error":
      return "red";
    case "thinking":
    case "tool":
      if (elapsedMs >= ALARM_AFTER_MS) return "red";
      if (elapsedMs >= WARN_AFTER_MS) return "amber";
      return "green";
  }
}

/** Everything but a sleeping agent pulses, so activity catches the eye. */
export function lightPulses(state: AgentState): boolean {
  return state !== "idle";
}

export const LIGHT_HEX: Record<LightColor, string> = {
  green: "#46c46e",
  amber: "#f5a524",
  red: "#ec4d64",
  purple: "#a06cf0",
  grey: "#9a9aa6",
};

export type Glow = "working" | "waiting" | "error" | "idle";

export function screenGlow(state: AgentState): Glow {
  switch (state) {
    case "thinking":
    case "tool":
      return "working";
    case "idle":
    case "waiting":
    case "error":
      return state;
  }
}

export type ModelFamily = "opus" | "sonnet" | "haiku" | "other";

export function modelFamily(model: string): ModelFamily {
  const m = model.toLowerCase();
  if (m.includes("opus")) return "opus";
  if (m.includes("sonnet")) return "sonnet";
  if (m.includes("haiku")) return "haiku";
  return "other";
}

/** "45 seconds", "2 minutes", "1 hour 5 minutes". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return plural(seconds, "second");
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? plural(hours, "hour") : `${plural(hours, "hour")} ${plural(rest, "minute")}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

const STATE_PHRASE: Record<AgentState, string> = {
  idle: "idle",
  thinking: "working",
  tool: "working",
  waiting: "waiting for you",
  error: "in error",
};

export function stateWord(state: AgentState): string {
  switch (state) {
    case "idle":
      return "asleep";
    case "thinking":
      return "thinking";
    case "tool":
      return "using a tool";
    case "waiting":
      return "waiting";
    case "error":
      return "error";
  }
}

/** The number people see on a desk: slots are 0-based, labels 1-based. */
export function deskNumber(desk: number): number {
  return desk + 1;
}

/** E.g. "Alice, desk 3, working for 2 minutes, 1 queued message, needs attention". */
export function deskAriaLabel(agent: DeskAgent, now: number): string {
  const parts = [
    agent.name,
    `desk ${deskNumber(agent.desk)}`,
    `${STATE_PHRASE[agent.state]} for ${formatDuration(now - agent.stateSince)}`,
  ];
  if (agent.queued > 0) parts.push(plural(agent.queued, "queued message"));
  if (agent.needsAttention) parts.push("needs attention");
  return parts.join(", ");
}

/** Cuts `text` to at most `max` characters, ending in an ellipsis when cut. */
export function ellipsize(text: string, max: number): string {
  const chars = Array.from(text.trim().replace(/\s+/g, " "));
  if (chars.length <= max) return chars.join("");
  return `${chars.slice(0, Math.max(1, max - 1)).join("").trimEnd()}…`;
}
