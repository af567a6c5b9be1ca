/**
 * Checks what is being typed into a field with the office (debounced): a working directory for the
 * agent dialog, an env file path for the room and rules dialogs (only its number of keys is shown).
 */

import { useEffect, useRef, useState } from "react";
import { useApp } from "../app/context";
import type { OfficeClient } from "../net/client";
import { messageOf } from "../net/errors";

export type ServerCheck<T> =
  | { state: "empty" }
  | { state: "checking" }
  | { state: "ok"; value: T }
  | { state: "bad"; message: string }
  | { state: "unknown"; message: string };

type Ask<T> = (client: OfficeClient, value: string) => Promise<T>;

function useServerCheck<T>(input: string, ask: Ask<T>, delayMs: number): ServerCheck<T> {
  const { client } = useApp();
  const [check, setCheck] = useState<ServerCheck<T>>({ state: "empty" });
  const asking = useRef(ask);
  asking.current = ask;
  useEffect(() => {
    const value = input.trim();
    if (value === "") {
      setCheck({ state: "empty" });
      return;
    }
    setCheck({ state: "checking" });
    let live = true;
    const timer = window.setTimeout(() => {
      asking
        .current(client, value)
        .then((result) => {
          if (live) setCheck({ state: "ok", value: result });
        })
        .catch((error: unknown) => {
          if (!live) return;
          const code = (error as { code?: string }).code;
          if (code === "offline") setCheck({ state: "unknown", message: "cannot check it while offline" });
          else setCheck({ state: "bad", message: messageOf(error) });
        });
    }, delayMs);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [client, input, delayMs]);
  return check;
}

/** The resolved path of a working directory, or why it cannot be used. */
export function useCwdCheck(cwd: string, delayMs = 300): ServerCheck<string> {
  return useServerCheck(
    cwd,
    (client, value) => client.command<{ path: string }>({ type: "validate_cwd", cwd: value }).then((r) => r.path),
    delayMs,
  );
}

/** How many variables an env file holds (never their values), or why it cannot be read. */
export function useEnvCheck(path: string, delayMs = 350): ServerCheck<number> {
  return useServerCheck(
    path,
    (client, value) => client.command<{ keyCount: number }>({ type: "validate_env_file", path: value }).then((r) => r.keyCount),
    delayMs,
  );
}

export function envHint(check: ServerCheck<number>, empty: string): string {
  switch (check.state) {
    case "empty":
      return empty;
    case "checking":
      return "checking…";
    case "ok":
      return `✓ Loaded ${check.value} variable${check.value === 1 ? "" : "s"} (values are never shown)`;
    case "unknown":
      return check.message;
    case "bad":
      return "";
  }
}
