/**
 * Commands this tab has accepted but the server has not answered yet.
 *
 * Nothing a person sends is dropped: while the connection is down, commands wait here and go out,
 * in order and with their original `requestId`, once it is back (the server answers a repeated
 * request from its cache instead of acting twice). Messages and task changes are also written to
 * localStorage, so reloading the page does not lose them; a tab that was closed with commands
 * still waiting leaves them to the next tab that opens (see `adoptOrphans`).
 */

import type { Command } from "../protocol";
import type { PendingView } from "../store/state";
import { keysWithPrefix, read, write, type KeyValue } from "../store/storage";

export type CommandKind = "query" | "instant" | "durable";

/**
 * query: asks for information; pointless later, so it fails at once while offline.
 * instant: an action that only makes sense now (interrupt, "send now"); kept while the page lives.
 * durable: something a person wrote; kept across reloads.
 */
export function commandKind(command: Command): CommandKind {
  switch (command.type) {
    case "validate_cwd":
    case "validate_env_file":
    case "list_sessions":
    case "get_log":
      return "query";
    case "send_message":
    case "branch_from":
    case "edit_queued":
    case "withdraw_queued":
    case "set_topic":
    case "create_task":
    case "update_task":
    case "claim_task":
    case "complete_task":
    case "delete_task":
      return "durable";
    default:
      return "instant";
  }
}

export interface PendingCommand {
  requestId: string;
  command: Command;
  createdAt: number;
}

const PENDING = "isomux:pending:";
const ALIVE = "isomux:alive:";
/** A tab that has not said it is alive for this long is gone. */
export const ORPHAN_AFTER_MS = 30_000;

function parse(raw: string | null): PendingCommand[] {
  if (raw === null) return [];
  try {
    const data: unknown = JSON.parse(raw);
    if (!Array.isArray(data)) return [];
    return data.filter(
      (item): item is PendingCommand =>
        typeof item === "object" && item !== null && typeof item.requestId === "string" && typeof item.command === "object" && item.command !== null,
    );
  } catch {
    return [];
  }
}

export class PendingQueue {
  private items: PendingCommand[] = [];

  constructor(
    private readonly storage: KeyValue,
    private readonly clientId: string,
  ) {}

  /** What this tab left behind before a reload, plus what closed tabs left behind. */
  restore(now: number): PendingCommand[] {
    const mine = parse(read(this.storage, PENDING + this.clientId));
    const adopted = adoptOrphans(this.storage, this.clientId, now);
    const seen = new Set(this.items.map((i) => i.requestId));
    for (const item of [...mine, ...adopted]) {
      if (!seen.has(item.requestId)) {
        this.items.push(item);
        seen.add(item.requestId);
      }
    }
    this.save();
    return [...this.items];
  }

  add(item: PendingCommand): void {
    this.items.push(item);
    if (commandKind(item.command) === "durable") this.save();
  }

  /** The server answered it: forget it. */
  settle(requestId: string): PendingCommand | undefined {
    const index = this.items.findIndex((i) => i.requestId === requestId);
    if (index < 0) return undefined;
    const [item] = this.items.splice(index, 1);
    if (item !== undefined && commandKind(item.command) === "durable") this.save();
    return item;
  }

  has(requestId: string): boolean {
    return this.items.some((i) => i.requestId === requestId);
  }

  all(): readonly PendingCommand[] {
    return this.items;
  }

  /** Say that this tab is alive, so other tabs leave its commands alone. */
  heartbeat(now: number): void {
    write(this.storage, ALIVE + this.clientId, String(now));
  }

  /** The tab is going away (a reload comes straight back and finds its commands). */
  leaving(): void {
    write(this.storage, ALIVE + this.clientId, null);
  }

  private save(): void {
    const durable = this.items.filter((i) => commandKind(i.command) === "durable");
    write(this.storage, PENDING + this.clientId, durable.length === 0 ? null : JSON.stringify(durable));
  }
}

/** Take over the saved commands of tabs that are gone, oldest first. */
export function adoptOrphans(storage: KeyValue, clientId: string, now: number): PendingCommand[] {
  const adopted: PendingCommand[] = [];
  for (const key of keysWithPrefix(storage, PENDING)) {
    const owner = key.slice(PENDING.length);
    if (owner === clientId) continue;
    const alive = Number(read(storage, ALIVE + owner) ?? "0");
    if (Number.isFinite(alive) && now - alive < ORPHAN_AFTER_MS) continue;
    adopted.push(...parse(read(storage, key)));
    write(storage, key, null);
    write(storage, ALIVE + owner, null);
  }
  return adopted.sort((a, b) => a.createdAt - b.createdAt);
}

/** What the UI shows of a waiting command. */
export function viewOf(item: PendingCommand, sent: boolean): PendingView {
  const c = item.command;
  const agentId = "agentId" in c && typeof c.agentId === "string" ? c.agentId : null;
  const text = "text" in c && typeof c.text === "string" ? c.text : null;
  return { requestId: item.requestId, type: c.type, agentId, text, sent };
}
