/**
 * Turning a conversation's log entries into what the chat shows: a tool call and its result
 * become one card, a permission request carries its answer, everything else is one item each.
 */

import type {
  ErrorNote,
  LogEntry,
  PermissionAnswered,
  PermissionAsked,
  SessionStart,
  SystemNote,
  Text,
  Thinking,
  ToolCall,
  ToolResult,
  TurnEnd,
  UserTurn,
} from "../protocol";

export type ChatItem =
  | { kind: "session"; key: string; entry: SessionStart }
  | { kind: "user"; key: string; entry: UserTurn }
  | { kind: "text"; key: string; entry: Text }
  | { kind: "thinking"; key: string; entry: Thinking }
  | { kind: "tool"; key: string; call: ToolCall | null; result: ToolResult | null }
  | { kind: "permission"; key: string; asked: PermissionAsked; answer: PermissionAnswered | null }
  | { kind: "answer"; key: string; entry: PermissionAnswered }
  | { kind: "system"; key: string; entry: SystemNote }
  | { kind: "error"; key: string; entry: ErrorNote }
  | { kind: "turn_end"; key: string; entry: TurnEnd };

export function chatItems(entries: readonly LogEntry[]): ChatItem[] {
  const items: ChatItem[] = [];
  const tools = new Map<string, number>();
  const permissions = new Map<string, number>();
  for (const entry of entries) {
    switch (entry.type) {
      case "tool_call":
        tools.set(entry.toolId, items.length);
        items.push({ kind: "tool", key: entry.id, call: entry, result: null });
        break;
      case "tool_result": {
        const at = tools.get(entry.toolId);
        const item = at === undefined ? undefined : items[at];
        if (item?.kind === "tool" && item.result === null) items[at as number] = { ...item, result: entry };
        else items.push({ kind: "tool", key: entry.id, call: null, result: entry });
        break;
      }
      case "permission_asked":
        permissions.set(entry.requestId, items.length);
        items.push({ kind: "permission", key: entry.id, asked: entry, answer: null });
        break;
      case "permission_answered": {
        const at = permissions.get(entry.requestId);
        const item = at === undefined ? undefined : items[at];
        if (item?.kind === "permission") items[at as number] = { ...item, answer: entry };
        else items.push({ kind: "answer", key: entry.id, entry });
        break;
      }
      case "session_start":
        items.push({ kind: "session", key: entry.id, entry });
        break;
      case "user_turn":
        items.push({ kind: "user", key: entry.id, entry });
        break;
      case "text":
        items.push({ kind: "text", key: entry.id, entry });
        break;
      case "thinking":
        items.push({ kind: "thinking", key: entry.id, entry });
        break;
      case "system_note":
        items.push({ kind: "system", key: entry.id, entry });
        break;
      case "error_note":
        items.push({ kind: "error", key: entry.id, entry });
        break;
      case "turn_end":
        items.push({ kind: "turn_end", key: entry.id, entry });
        break;
    }
  }
  return items;
}

/** The text a person would edit to branch from a past turn: its messages, without sender labels. */
export function turnText(turn: UserTurn): string {
  return turn.messages.map((m) => m.text).join("\n\n");
}

/** All the text of a conversation, for "copy conversation". */
export function transcript(entries: readonly LogEntry[]): string {
  const parts: string[] = [];
  for (const entry of entries) {
    if (entry.type === "user_turn") {
      for (const m of entry.messages) parts.push(`${senderLabel(m.sender)} ${m.text}`);
    } else if (entry.type === "text") {
      parts.push(entry.text);
    } else if (entry.type === "tool_call") {
      parts.push(`(tool ${entry.name})`);
    }
  }
  return parts.join("\n\n");
}

export function senderLabel(sender: { name: string; device: string | null }): string {
  return sender.device ? `[${sender.name} (${sender.device})]` : `[${sender.name}]`;
}
