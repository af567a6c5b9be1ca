/**
 * One agent's conversation window in the browser: appended to by events, reset when the agent
 * switches conversations, extended backwards by pages fetched on demand, and capped so a long
 * session in an open tab cannot grow without bound (dropped entries stay reachable by cursor).
 */

import type { LogEntry, LogPage, LogTail } from "../protocol";
import { EMPTY_LOG, type AgentLog } from "./state";

/** Entries kept per agent; older ones are dropped from memory and paged back in when scrolled to. */
export const MAX_ENTRIES = 800;

export function fromTail(tail: LogTail): AgentLog {
  return cap({ sessionId: tail.sessionId, entries: [...tail.entries], cursors: alignCursors(tail.cursors, tail.entries.length), older: tail.older });
}

function alignCursors(cursors: readonly string[], length: number): string[] {
  return Array.from({ length }, (_, i) => cursors[i] ?? "");
}

function hasEntry(log: AgentLog, id: string): boolean {
  // Appends arrive in order, so a repeat (if any) is near the end.
  for (let i = log.entries.length - 1; i >= 0 && i >= log.entries.length - 200; i--) {
    if (log.entries[i]?.id === id) return true;
  }
  return false;
}

/** An entry logged in `sessionId`; a different session than the one held starts a fresh window. */
export function appendEntry(log: AgentLog | undefined, sessionId: string, entry: LogEntry, cursor: string): AgentLog {
  const base = log === undefined || log.sessionId !== sessionId ? { ...EMPTY_LOG, sessionId } : log;
  if (hasEntry(base, entry.id)) return base;
  return cap({ ...base, entries: [...base.entries, entry], cursors: [...base.cursors, cursor] });
}

function cap(log: AgentLog): AgentLog {
  const extra = log.entries.length - MAX_ENTRIES;
  if (extra <= 0) return log;
  const firstKept = log.cursors[extra];
  // Without the first kept entry's own cursor there is no way back to what is dropped: keep it all.
  if (!firstKept) return log;
  return { ...log, entries: log.entries.slice(extra), cursors: log.cursors.slice(extra), older: firstKept };
}

/**
 * Older entries fetched with `before`. They are only taken if the window still starts where the
 * request was made (the agent may have switched conversations meanwhile).
 */
export function prependPage(log: AgentLog | undefined, before: string, page: LogPage): AgentLog | undefined {
  if (log === undefined || log.older !== before) return log;
  const known = new Set(log.entries.map((e) => e.id));
  const entries: LogEntry[] = [];
  const cursors: string[] = [];
  page.entries.forEach((entry, i) => {
    if (known.has(entry.id)) return;
    entries.push(entry);
    cursors.push(page.cursors[i] ?? "");
  });
  return { ...log, entries: [...entries, ...log.entries], cursors: [...cursors, ...log.cursors], older: page.older };
}

/** The same entry in full (a snapshot shortens long texts). */
export function replaceEntry(log: AgentLog | undefined, entry: LogEntry): AgentLog | undefined {
  if (log === undefined) return log;
  const index = log.entries.findIndex((e) => e.id === entry.id);
  if (index < 0) return log;
  const entries = [...log.entries];
  entries[index] = entry;
  return { ...log, entries };
}

/** Has this stream block already been completed by its final entry? */
export function blockFinished(log: AgentLog | undefined, block: string): boolean {
  if (log === undefined) return false;
  for (let i = log.entries.length - 1; i >= 0 && i >= log.entries.length - 300; i--) {
    const entry = log.entries[i];
    if ((entry?.type === "text" || entry?.type === "thinking") && entry.block === block) return true;
  }
  return false;
}
