/**
 * Who else is in the office, read from the presence the office broadcasts: ghosts beside the
 * agents people look at, "Bob · Phone is here" and "Bob is typing…" in a chat, and the warning
 * when two people steer one busy agent at the same time.
 */

import type { QueuedMessage, Visitor } from "../protocol";
import type { Me } from "./state";

/** "Bob · Phone" (or just "Bob" for a device without a label). */
export function visitorLabel(visitor: Pick<Visitor, "name" | "device">): string {
  return visitor.device ? `${visitor.name} · ${visitor.device}` : visitor.name;
}

/** The other connected browsers (this one is never a ghost), in a stable order. */
export function others(presence: readonly Visitor[]): Visitor[] {
  return presence.filter((v) => !v.you).sort((a, b) => a.name.localeCompare(b.name) || visitorLabel(a).localeCompare(visitorLabel(b)) || a.id.localeCompare(b.id));
}

/** The other browsers looking at this agent's chat. */
export function visitorsOf(presence: readonly Visitor[], agentId: string): Visitor[] {
  return others(presence).filter((v) => v.viewing === agentId);
}

/** Other browsers by the agent they look at (browsers in the office view are left out). */
export function visitorsByAgent(presence: readonly Visitor[]): Map<string, Visitor[]> {
  const found = new Map<string, Visitor[]>();
  for (const v of others(presence)) {
    if (v.viewing === null) continue;
    const list = found.get(v.viewing);
    if (list === undefined) found.set(v.viewing, [v]);
    else list.push(v);
  }
  return found;
}

function listWords(items: readonly string[], most = 3): string {
  if (items.length <= most) {
    if (items.length <= 1) return items[0] ?? "";
    return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
  }
  const rest = items.length - (most - 1);
  return `${items.slice(0, most - 1).join(", ")} and ${rest} others`;
}

/** "Bob · Phone is here", "Bob · Phone and Ada · Laptop are here"; empty when nobody else is. */
export function hereSentence(visitors: readonly Visitor[]): string {
  if (visitors.length === 0) return "";
  return `${listWords(visitors.map(visitorLabel))} ${visitors.length === 1 ? "is" : "are"} here`;
}

function distinctNames(visitors: readonly Pick<Visitor, "name">[]): string[] {
  return [...new Set(visitors.map((v) => v.name))];
}

/** "Bob is typing…", "Bob and Ada are typing…"; one name per person however many devices type. */
export function typingSentence(visitors: readonly Visitor[]): string {
  const names = distinctNames(visitors.filter((v) => v.typing));
  if (names.length === 0) return "";
  return `${listWords(names)} ${names.length === 1 ? "is" : "are"} typing…`;
}

function senderKey(message: QueuedMessage): string | null {
  const s = message.sender;
  return s.kind === "person" || s.kind === "agent" ? `${s.kind}:${s.name}` : null;
}

/** The different people (and agents) with messages waiting in a queue, in queue order. */
export function queueSenders(queue: readonly QueuedMessage[]): string[] {
  const seen = new Map<string, string>();
  for (const message of queue) {
    const key = senderKey(message);
    if (key !== null && !seen.has(key)) seen.set(key, message.sender.name);
  }
  return [...seen.values()];
}

export type Steering =
  | { kind: "queue"; senders: string[] }
  | { kind: "typing"; typists: string[] };

export interface SteeringInput {
  agentId: string;
  busy: boolean;
  queue: readonly QueuedMessage[];
  presence: readonly Visitor[];
  me: Me | null;
  /** This browser's person is typing to the agent right now. */
  typing: boolean;
}

/**
 * Two different people steering one busy agent: messages from two or more senders are waiting
 * (they will reach it together, in one turn), or someone else types to it while you do.
 * Your own other devices do not count as someone else.
 */
export function steering({ agentId, busy, queue, presence, me, typing }: SteeringInput): Steering | null {
  if (!busy) return null;
  const senders = queueSenders(queue);
  if (senders.length >= 2) return { kind: "queue", senders };
  if (typing) {
    const typists = distinctNames(visitorsOf(presence, agentId).filter((v) => v.typing && v.name !== me?.name));
    if (typists.length > 0) return { kind: "typing", typists };
  }
  return null;
}

/** The banner's words for a steering warning. */
export function steeringText(warning: Steering, agentName: string): string {
  if (warning.kind === "queue") {
    const all = warning.senders.length === 2 ? "both" : "all";
    return `${listWords(warning.senders)} are ${all} steering ${agentName}: their waiting messages will reach it together, in one turn. Make sure they do not pull it in different directions.`;
  }
  const who = listWords(warning.typists);
  return `${who} ${warning.typists.length === 1 ? "is" : "are"} also writing to ${agentName} right now, while it works. Agree on what it should do before you both send.`;
}

/** A pleasant, stable hue for a person, so their ghost is recognisable everywhere. */
export function personHue(name: string): number {
  let hash = 7;
  for (const ch of name) hash = (hash * 33 + ch.charCodeAt(0)) >>> 0;
  return (hash * 47) % 360;
}
