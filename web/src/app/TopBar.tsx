/**
 * The bar across the top: the logo (home), the connection's health, who else is here, the
 * office-wide buttons, and the person this browser is signed in as (with People for owners and
 * Sign out).
 */

import { useEffect, useRef, useState, type ReactElement } from "react";
import { GhostBadge } from "../office";
import { others, personHue, visitorLabel } from "../store/presence";
import { openTaskCount } from "../store/selectors";
import { shallowEqual, useAppState } from "../store/store";
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
  const owner = useAppState((s) => s.ui.me?.role === "owner");
  return (
    <header className="topbar">
      <button type="button" className="brand" onClick={() => api.navigate({ view: "office" })} aria-label="Isomux: back to the office">
        <LogoMark />
        <span className="brand-name">isomux</span>
      </button>
      <ConnectionBadge />
      <PeopleHere />
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
        {owner && (
          <button type="button" className="tb-btn" onClick={() => api.openDialog({ kind: "people" })} title="People: members, invites and other offices">
            <Icon name="people" />
            <span className="tb-label">People</span>
          </button>
        )}
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
        <YouMenu />
      </nav>
    </header>
  );
}

const MAX_FACES = 4;

/** The other people connected right now, one ghost each (several devices of one person count once). */
export function PeopleHere(): ReactElement | null {
  const api = useApp();
  const agents = useAppState((s) => s.server.agents);
  const visitors = useAppState((s) => others(s.ui.presence), (a, b) => a.length === b.length && a.every((v, i) => shallowEqual(v, b[i])));
  if (visitors.length === 0) return null;
  const people = new Map<string, string[]>();
  for (const v of visitors) {
    const where = v.viewing === null ? "in the office" : `with ${agents[v.viewing]?.name ?? "an agent"}`;
    const line = `${visitorLabel(v)}, ${where}${v.typing ? " (typing)" : ""}`;
    people.set(v.name, [...(people.get(v.name) ?? []), line]);
  }
  const names = [...people.keys()];
  const title = [...people.values()].flat().join("\n");
  return (
    <div className="tb-here" title={title} aria-label={`Also here: ${names.join(", ")}`} role="group">
      {names.slice(0, MAX_FACES).map((name) => {
        const first = visitors.find((v) => v.name === name);
        const go = first?.viewing ?? null;
        return (
          <button
            key={name}
            type="button"
            className="tb-here-face"
            data-person={name}
            onClick={() => (go !== null ? api.navigate({ view: "chat", agentId: go }) : api.navigate({ view: "office" }))}
            aria-label={`${name}: ${(people.get(name) ?? []).join("; ")}`}
          >
            <GhostBadge hue={personHue(name)} size={26} typing={visitors.some((v) => v.name === name && v.typing)} />
          </button>
        );
      })}
      {names.length > MAX_FACES && <span className="tb-here-more">+{names.length - MAX_FACES}</span>}
    </div>
  );
}

/** Who this browser is signed in as, with People (owners) and Sign out. */
function YouMenu(): ReactElement {
  const api = useApp();
  const me = useAppState((s) => s.ui.me);
  const [open, setOpen] = useState(false);
  const anchor = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent) => {
      if (anchor.current && !anchor.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        setOpen(false);
      }
    };
    window.addEventListener("pointerdown", close, true);
    window.addEventListener("keydown", onKey, true);
    return () => {
      window.removeEventListener("pointerdown", close, true);
      window.removeEventListener("keydown", onKey, true);
    };
  }, [open]);

  const name = me?.name ?? "…";
  const owner = me?.role === "owner";
  return (
    <div className="menu-anchor" ref={anchor}>
      <button
        type="button"
        className="tb-btn tb-you"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title={me ? `Signed in as ${visitorLabel(me)}` : "Signing in…"}
        data-me={me?.name ?? ""}
      >
        <span className="you-avatar" aria-hidden="true" style={me ? { background: `hsl(${personHue(me.name)} 60% 55%)` } : undefined}>
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="tb-label">{name}</span>
      </button>
      {open && (
        <div className="menu menu--dropdown you-menu" role="menu">
          <div className="you-menu-who">
            <strong>{name}</strong>
            <span className="muted small">
              {me?.device ?? "this device"} · {owner ? "owner" : "member"}
              {me && me.rooms !== null ? ` · ${me.rooms.length} room${me.rooms.length === 1 ? "" : "s"}` : ""}
            </span>
          </div>
          <div className="menu-sep" role="separator" />
          {owner && (
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                setOpen(false);
                api.openDialog({ kind: "people" });
              }}
            >
              <Icon name="people" size={15} /> People…
            </button>
          )}
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              void api.signOut();
            }}
          >
            <Icon name="logout" size={15} /> Sign out
          </button>
        </div>
      )}
    </div>
  );
}
