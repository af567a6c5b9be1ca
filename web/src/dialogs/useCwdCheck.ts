/** Checks a working directory with the office as it is typed (debounced), for the agent dialog. */

import { useEffect, useState } from "react";
import { useApp } from "../app/context";
import { messageOf } from "../net/errors";

export type CwdCheck = { state: "empty" } | { state: "checking" } | { state: "ok"; path: string } | { state: "bad"; message: string } | { state: "unknown"; message: string };

export function useCwdCheck(cwd: string, delayMs = 300): CwdCheck {
  const { client } = useApp();
  const [check, setCheck] = useState<CwdCheck>({ state: "empty" });
  useEffect(() => {
    const value = cwd.trim();
    if (value === "") {
      setCheck({ state: "empty" });
      return;
    }
    setCheck({ state: "checking" });
    let live = true;
    const timer = window.setTimeout(() => {
      client
        .command<{ ok: boolean; path: string }>({ type: "validate_cwd", cwd: value })
        .then((result) => {
          if (live) setCheck({ state: "ok", path: result.path });
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
  }, [client, cwd, delayMs]);
  return check;
}
