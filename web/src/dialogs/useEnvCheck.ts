/** Checks an env file path with the office as it is typed; only the number of keys is ever shown. */

import { useEffect, useState } from "react";
import { useApp } from "../app/context";
import { messageOf } from "../net/errors";

export type EnvCheck = { state: "empty" } | { state: "checking" } | { state: "ok"; keys: number } | { state: "bad"; message: string };

export function useEnvCheck(path: string, delayMs = 350): EnvCheck {
  const { client } = useApp();
  const [check, setCheck] = useState<EnvCheck>({ state: "empty" });
  useEffect(() => {
    const value = path.trim();
    if (value === "") {
      setCheck({ state: "empty" });
      return;
    }
    setCheck({ state: "checking" });
    let live = true;
    const timer = window.setTimeout(() => {
      client
        .command<{ ok: boolean; keyCount: number }>({ type: "validate_env_file", path: value })
        .then((r) => live && setCheck({ state: "ok", keys: r.keyCount }))
        .catch((error: unknown) => live && setCheck({ state: "bad", message: messageOf(error) }));
    }, delayMs);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [client, path, delayMs]);
  return check;
}

export function envHint(check: EnvCheck, empty: string): string {
  switch (check.state) {
    case "empty":
      return empty;
    case "checking":
      return "checking…";
    case "ok":
      return `✓ Loaded ${check.keys} variable${check.keys === 1 ? "" : "s"} (values are never shown)`;
    case "bad":
      return "";
  }
}
