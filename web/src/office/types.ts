/** Data the office scene receives; the app maps server state onto these shapes. */

export type AgentState = "idle" | "thinking" | "tool" | "waiting" | "error";
export type Hat = "none" | "cap" | "beanie" | "bow" | "headband" | "crown";
export type HairStyle = "short" | "long" | "ponytail" | "bun" | "pigtails" | "curly" | "bald";
export type Beard = "none" | "stubble" | "full" | "goatee" | "mustache";
export type Accessory = "none" | "glasses" | "headphones" | "bowtie" | "tie" | "earrings";

/** How a character looks; colours are "#rrggbb". */
export interface Outfit {
  hat: Hat;
  shirt: string;
  hair: string;
  hairStyle: HairStyle;
  skin: string;
  beard: Beard;
  accessory: Accessory;
}

export interface DeskAgent {
  id: string;
  name: string;
  /** Desk slot, 0..7. */
  desk: number;
  state: AgentState;
  /** When the agent entered `state`, epoch ms. */
  stateSince: number;
  topic: string | null;
  outfit: Outfit;
  backend: "claude" | "codex" | "demo";
  model: string;
  needsAttention: boolean;
  /** Messages waiting in the agent's inbox. */
  queued: number;
}

/** Another browser looking at an agent's chat: a ghost beside that agent's desk. */
export interface SceneVisitor {
  id: string;
  name: string;
  device: string | null;
  typing: boolean;
  /** The agent whose chat is open. */
  agentId: string;
  /** The person's colour. */
  hue: number;
}

export interface RoomView {
  id: string;
  name: string;
}

export interface SceneProps {
  room: RoomView;
  agents: DeskAgent[];
  prevRoom: RoomView | null;
  nextRoom: RoomView | null;
  openTasks: number;
  hasRules: boolean;
  dark: boolean;
  /** Epoch ms, for the clock and the state timers. */
  now: number;
  neonHue?: number;
  /** Other people's browsers, by the agent they look at (agents of other rooms are ignored). */
  visitors?: readonly SceneVisitor[];
  onEmptyDesk(desk: number): void;
  onAgent(id: string): void;
  onAgentMenu(id: string, x: number, y: number): void;
  /** An agent was dragged onto another desk (empty or occupied). */
  onSwapDesks(a: number, b: number): void;
  /** An agent was dragged onto a door: move it to that room. */
  onDropOnDoor(agentId: string, side: "prev" | "next"): void;
  /** A door was clicked: go to that room. */
  onDoor(side: "prev" | "next"): void;
  onCorkboard(): void;
  onSign(): void;
  onClock(): void;
  onWindow(): void;
  onNeon(): void;
}

export type DoorSide = "prev" | "next";
