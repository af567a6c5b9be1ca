/**
 * Keyboard shortcuts: Esc goes back to the office; 1–8 open the agent at that desk (in the chat,
 * Alt+1–8 works while typing); Tab and Shift+Tab in the chat's message box switch to the next or
 * previous agent in the room; Ctrl+C in the chat interrupts a busy agent when no text is selected
 * (the message box handles it itself while it has the focus). Dialogs handle their own keys.
 */

import { useEffect } from "react";
import { isBusy } from "../chat/format";
import { agentsInRoom } from "../store/selectors";
import { useStoreInstance } from "../store/store";
import type { AppApi } from "./context";
import type { Route } from "./route";

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT";
}

/** The agent `step` places after `current` in desk order, wrapping around. */
export function cycleAgent(ids: readonly string[], current: string, step: 1 | -1): string | null {
  if (ids.length < 2) return null;
  const index = ids.indexOf(current);
  const next = (index + step + ids.length) % ids.length;
  return ids[next] ?? null;
}

export function useShortcuts(api: AppApi, route: Route, dialogOpen: boolean): void {
  const store = useStoreInstance();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen || e.defaultPrevented || e.isComposing) return;
      const server = store.getState().server;
      const typing = typingIn(e.target);
      if (e.key === "Escape") {
        if (route.view !== "office") {
          e.preventDefault();
          api.navigate({ view: "office" });
        }
        return;
      }
      if (route.view === "chat" && e.ctrlKey && !e.metaKey && !e.altKey && (e.key === "c" || e.key === "C") && !typing) {
        const selection = window.getSelection();
        if ((selection === null || selection.isCollapsed) && isBusy(server.statuses[route.agentId])) {
          e.preventDefault();
          void api.run({ type: "interrupt", agentId: route.agentId });
        }
        return;
      }
      const roomId = route.view === "chat" ? (server.agents[route.agentId]?.roomId ?? api.roomId) : api.roomId;
      if (roomId === null || route.view === "tasks") return;
      const agents = agentsInRoom(server, roomId);
      const digit = /^Digit([1-8])$/.exec(e.code);
      if (digit && !e.ctrlKey && !e.metaKey && !e.shiftKey && (e.altKey || !typing)) {
        const desk = Number(digit[1]) - 1;
        const agent = agents.find((a) => a.desk === desk);
        if (agent !== undefined) {
          e.preventDefault();
          api.navigate({ view: "chat", agentId: agent.id });
        }
        return;
      }
      if (e.key === "Tab" && route.view === "chat" && !e.altKey && !e.ctrlKey && !e.metaKey) {
        const inComposer = e.target instanceof HTMLElement && e.target.dataset.composer === "true";
        if (!inComposer && e.target !== document.body) return;
        const next = cycleAgent(
          agents.map((a) => a.id),
          route.agentId,
          e.shiftKey ? -1 : 1,
        );
        if (next !== null) {
          e.preventDefault();
          api.navigate({ view: "chat", agentId: next });
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [api, route, dialogOpen, store]);
}
