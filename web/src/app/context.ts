/** What every view can reach: the connection, navigation, dialogs, notices, device preferences and signing out. */

import { createContext, useContext } from "react";
import type { OfficeClient } from "../net/client";
import type { Command } from "../protocol";
import type { Theme } from "../store/storage";
import type { Route } from "./route";

export type DialogRequest =
  | { kind: "spawn"; roomId: string; desk: number | null }
  | { kind: "edit"; agentId: string }
  | { kind: "kill"; agentId: string }
  | { kind: "room"; roomId: string }
  | { kind: "rules" }
  | { kind: "people" }
  | { kind: "sessions"; agentId: string };

export type NoticeTone = "error" | "info" | "success";

export interface AppApi {
  client: OfficeClient;
  navigate(route: Route): void;
  openDialog(request: DialogRequest): void;
  closeDialog(): void;
  notify(message: string, tone?: NoticeTone): void;
  /** Send a command; a failure is shown as a notice and gives `undefined`. */
  run<T = unknown>(command: Command): Promise<T | undefined>;
  theme: Theme;
  toggleTheme(): void;
  /** Sign this browser out of the office (a failure is shown as a notice). */
  signOut(): Promise<void>;
  /** The room the office shows. */
  roomId: string | null;
  setRoomId(roomId: string): void;
}

export const AppContext = createContext<AppApi | null>(null);

export function useApp(): AppApi {
  const api = useContext(AppContext);
  if (api === null) throw new Error("the app context is not provided");
  return api;
}
