/** The bar across the top: the logo (home), the connection's health, and the office-wide buttons. */

import { useEffect, useState, type ReactElement } from "react";
import { openTaskCount } from "../store/selectors";
import { hasChosenName, local } from "../store/storage";
import { useAppState } from "../store/store";
import { useApp } from "./context";
import { Icon, LogoMark } from "./icons";
import type { Route } from "./route";

const CONNECTION_TEXT = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
} as const;

export function ConnectionBadge(): ReactElement {
  const { client } = useApp();
  const connection = useAppState((s) => s.ui.connection);
  const waiting = useAppState((s) => s.ui.pending.filter((p) => !p.sent).length);
  const [, setTick] = useState(0);
  useEffect(() => client.onStatus(() => setTick((t) => t + 1)), [client]);
  useEffect(() => {
    if (connection === "connected") return;
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, [connection]);
  const retryIn = client.nextRetryAt === null ? null : Math.max(0, Math.ceil((client.nextRetryAt - Date.now()) / 1000));
  const title =
    connection === "connected"
      ? "Live: changes appear as they happen"
      : `${CONNECTION_TEXT[connection]}${retryIn !== null && retryIn > 0 ? ` — next try in ${retryIn} s` : ""}${waiting > 0 ? `; ${waiting} waiting to be sent` : ""}`;
  return (
    <div className={`conn conn--${connection}`} role="status" aria-live="polite" title={title} data-connection={connection}>
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-text">{CONNECTION_TEXT[connection]}</span>
      {waiting > 0 && <span className="conn-waiting">{waiting} to send</span>}
      {(connection === "reconnecting" || connection === "offline") && (
        <button type="button" className="conn-retry" onClick={client.retryNow}>
          Retry{retryIn !== null && retryIn > 0 ? ` (${retryIn})` : ""}
        </button>
      )}
    </div>
  );
}

export function TopBar({ route }: { route: Route }): ReactElement {
  const api = useApp();
  const openTasks = useAppState((s) => openTaskCount(s.server));
  const hasRules = useAppState((s) => s.server.office.prompt.trim() !== "");
  return (
    <header className="topbar">
      <button type="button" className="brand" onClick={() => api.navigate({ view: "office" })} aria-label="Isomux: back to the office">
        <LogoMark />
        <span className="brand-name">isomux</span>
      </button>
      <ConnectionBadge />
      <nav className="topbar-actions" aria-label="Office">
        <button
          type="button"
          className={`tb-btn${route.view === "tasks" ? " tb-btn--on" : ""}`}
          onClick={() => api.navigate(route.view === "tasks" ? { view: "office" } : { view: "tasks" })}
          title="Task board"
        >
          <Icon name="board" />
          <span className="tb-label">Tasks</span>
          {openTasks > 0 && <span className="tb-count">{openTasks}</span>}
        </button>
        <button type="button" className="tb-btn" onClick={() => api.openDialog({ kind: "rules" })} title="Office rules: the prompt and env file every agent gets">
          <Icon name="rules" />
          <span className="tb-label">Rules</span>
          {hasRules && <span className="tb-dot" aria-hidden="true" />}
        </button>
        <button
          type="button"
          className="tb-btn tb-btn--icon"
          onClick={api.toggleTheme}
          title={api.theme === "dark" ? "Switch to day" : "Switch to night"}
          aria-label={api.theme === "dark" ? "Switch to light mode" : "Switch to dark mode"}
        >
          <Icon name={api.theme === "dark" ? "sun" : "moon"} />
        </button>
        <button
          type="button"
          className={`tb-btn tb-you${hasChosenName(local()) ? "" : " tb-you--unset"}`}
          onClick={() => api.openDialog({ kind: "you" })}
          title="Your name and device, as agents see them"
        >
          <span className="you-avatar" aria-hidden="true">
            {api.identity.name.slice(0, 1).toUpperCase() || "?"}
          </span>
          <span className="tb-label">{api.identity.name}</span>
        </button>
      </nav>
    </header>
  );
}
