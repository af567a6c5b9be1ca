/** Sample offices for the preview page: every state, hat, hair style, beard and accessory appears. */

import type { DeskAgent, Outfit, RoomView, SceneVisitor } from "../office/types";

export const ROOMS: readonly RoomView[] = [
  { id: "r-main", name: "Main office" },
  { id: "r-lab", name: "Research lab" },
  { id: "r-studio", name: "Design studio" },
];

function outfit(partial: Partial<Outfit>): Outfit {
  return {
    hat: "none",
    shirt: "#4d8fe8",
    hair: "#4a3125",
    hairStyle: "short",
    skin: "#f3c69d",
    beard: "none",
    accessory: "none",
    ...partial,
  };
}

const MINUTE = 60_000;

/** Agents for the preview, with state timers relative to `now`. */
export function sampleAgents(now: number): DeskAgent[] {
  const base = { backend: "claude" as const, needsAttention: false, queued: 0 };
  return [
    {
      ...base,
      id: "a-ada",
      name: "Ada",
      desk: 0,
      state: "thinking",
      stateSince: now - 40_000,
      topic: "Refactoring the websocket reconnect logic so drafts survive restarts",
      model: "claude-opus-4-5",
      outfit: outfit({ hat: "headband", hairStyle: "long", hair: "#a3452c", shirt: "#9b7bd4", accessory: "glasses", skin: "#ffe0c7" }),
    },
    {
      ...base,
      id: "a-bruno",
      name: "Bruno",
      desk: 1,
      state: "tool",
      stateSince: now - 3 * MINUTE,
      topic: "Running the test suite",
      model: "claude-sonnet-4-5",
      outfit: outfit({ hat: "cap", hairStyle: "short", hair: "#2b2320", shirt: "#ef6f6c", beard: "stubble", accessory: "headphones", skin: "#a86b44" }),
    },
    {
      ...base,
      id: "a-chen",
      name: "Chen",
      desk: 2,
      state: "waiting",
      stateSince: now - 90_000,
      topic: "Needs your review: migration plan",
      model: "claude-haiku-4-5",
      needsAttention: true,
      queued: 2,
      outfit: outfit({ hairStyle: "bun", hair: "#2b2320", shirt: "#6cc5a0", accessory: "earrings", skin: "#f3c69d" }),
    },
    {
      ...base,
      id: "a-dana",
      name: "Dana",
      desk: 3,
      state: "error",
      stateSince: now - 20_000,
      topic: "Build failed: missing DATABASE_URL",
      model: "gpt-5-codex",
      backend: "codex",
      outfit: outfit({ hat: "bow", hairStyle: "pigtails", hair: "#e2b35f", shirt: "#f2b134", skin: "#ffe0c7" }),
    },
    {
      ...base,
      id: "a-eli",
      name: "Eli",
      desk: 4,
      state: "idle",
      stateSince: now - 42 * MINUTE,
      topic: null,
      model: "claude-opus-4-5",
      outfit: outfit({ hairStyle: "bald", hair: "#b3aca6", shirt: "#3f4d80", beard: "full", accessory: "bowtie", skin: "#d79e70" }),
    },
    {
      ...base,
      id: "a-femi",
      name: "Femi",
      desk: 6,
      state: "thinking",
      stateSince: now - 7 * MINUTE,
      topic: "Drafting the onboarding guide",
      model: "demo",
      backend: "demo",
      queued: 1,
      outfit: outfit({ hat: "beanie", hairStyle: "curly", hair: "#4a3125", shirt: "#2a9d8f", beard: "goatee", accessory: "tie", skin: "#6e4428" }),
    },
    {
      ...base,
      id: "a-gus",
      name: "Gustavo the Magnificent",
      desk: 7,
      state: "tool",
      stateSince: now - 30_000,
      topic: "Editing src/parser.ts",
      model: "claude-haiku-4-5",
      outfit: outfit({ hat: "crown", hairStyle: "ponytail", hair: "#d9772f", shirt: "#e87ea1", beard: "mustache", skin: "#f3c69d" }),
    },
  ];
}

/** Other people's browsers: one looking at Ada, two at Chen (one typing), one at Gustavo. */
export const SAMPLE_VISITORS: readonly SceneVisitor[] = [
  { id: "v1", name: "Bob", device: "Phone", typing: false, agentId: "a-ada", hue: 18 },
  { id: "v2", name: "Ines", device: "Laptop", typing: true, agentId: "a-chen", hue: 200 },
  { id: "v3", name: "Bob", device: "Laptop", typing: false, agentId: "a-chen", hue: 18 },
  { id: "v4", name: "Kofi", device: "Tablet", typing: false, agentId: "a-gus", hue: 285 },
  { id: "v5", name: "Mei", device: "Phone", typing: true, agentId: "a-bruno", hue: 120 },
];

export { outfit as sampleOutfit };
