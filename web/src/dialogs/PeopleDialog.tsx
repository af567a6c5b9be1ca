/**
 * People (owners only): who is a member, with their role, rooms and signed-in devices; removing
 * someone (which signs them out everywhere) or changing a member's rooms; inviting someone; and
 * tokens for other offices.
 */

import { useCallback, useEffect, useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { Icon } from "../app/icons";
import { messageOf } from "../net/errors";
import { listMembers, removeMember, setMemberRooms, type MemberInfo } from "../net/people";
import type { Room } from "../protocol";
import { useAppState } from "../store/store";
import { InviteForm, RoomPicker } from "./InviteForm";
import { FormError, Modal } from "./Modal";
import { OfficeTokens } from "./OfficeTokens";

type Tab = "members" | "invite" | "tokens";

const TABS: readonly { id: Tab; label: string }[] = [
  { id: "members", label: "Members" },
  { id: "invite", label: "Invite" },
  { id: "tokens", label: "Other offices" },
];

/** "all rooms", or the names of the rooms (rooms that no longer exist are left out). */
export function roomsText(rooms: readonly string[] | null, known: readonly Room[]): string {
  if (rooms === null) return "all rooms";
  const names = known.filter((r) => rooms.includes(r.id)).map((r) => r.name);
  return names.length === 0 ? "no rooms" : names.join(", ");
}

function MemberRow({ member, rooms, isMe, onChanged }: { member: MemberInfo; rooms: readonly Room[]; isMe: boolean; onChanged(): void }): ReactElement {
  const [mode, setMode] = useState<"view" | "remove" | "rooms">("view");
  const [chosen, setChosen] = useState<string[]>(member.rooms ?? []);
  const [everyRoom, setEveryRoom] = useState(member.rooms === null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode("view");
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="person-row" data-member={member.name}>
      <div className="person-main">
        <div className="person-title">
          <strong className="person-name">{member.name}</strong>
          {isMe && <span className="muted small">(you)</span>}
          <span className={`badge badge--${member.role}`}>{member.role}</span>
        </div>
        <div className="person-rooms small">{member.role === "owner" ? "all rooms" : roomsText(member.rooms, rooms)}</div>
        <div className="person-devices">
          {member.devices.length === 0 ? (
            <span className="muted small">not signed in anywhere</span>
          ) : (
            member.devices.map((d, i) => (
              <span key={`${d}-${i}`} className="device-chip">
                {d}
              </span>
            ))
          )}
        </div>
        {mode === "rooms" && (
          <div className="person-edit-rooms">
            <label className="check-row">
              <input type="checkbox" checked={everyRoom} onChange={(e) => setEveryRoom(e.target.checked)} /> Every room
            </label>
            {!everyRoom && <RoomPicker rooms={rooms} chosen={chosen} onChange={setChosen} label={`Rooms ${member.name} can see`} />}
            <div className="person-confirm">
              <button type="button" className="btn btn--ghost btn--small" onClick={() => setMode("view")}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn--primary btn--small"
                disabled={busy || (!everyRoom && chosen.length === 0)}
                onClick={() => void act(() => setMemberRooms(member.id, everyRoom ? null : chosen))}
              >
                Save rooms
              </button>
            </div>
          </div>
        )}
        <FormError message={error} />
      </div>
      {mode === "remove" ? (
        <div className="person-confirm">
          <span className="small">Remove {member.name}? They are signed out everywhere.</span>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setMode("view")}>
            Keep
          </button>
          <button type="button" className="btn btn--danger btn--small" disabled={busy} onClick={() => void act(() => removeMember(member.id))}>
            Remove
          </button>
        </div>
      ) : mode === "view" ? (
        <div className="person-actions">
          {member.role === "member" && (
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setMode("rooms")} aria-label={`Change the rooms of ${member.name}`}>
              Rooms…
            </button>
          )}
          <button
            type="button"
            className="btn btn--danger-soft btn--small"
            disabled={isMe}
            title={isMe ? "To leave, sign out (another owner can remove you)" : undefined}
            onClick={() => setMode("remove")}
            aria-label={`Remove ${member.name}`}
          >
            Remove
          </button>
        </div>
      ) : null}
    </li>
  );
}

function Members({ rooms }: { rooms: readonly Room[] }): ReactElement {
  const me = useAppState((s) => s.ui.me);
  const [members, setMembers] = useState<MemberInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    listMembers()
      .then((list) => {
        setMembers(list);
        setError(null);
      })
      .catch((failure: unknown) => setError(messageOf(failure)));
  }, []);
  useEffect(load, [load]);
  return (
    <div className="members">
      <FormError message={error} />
      {members === null ? (
        error === null && <p className="muted">Loading…</p>
      ) : (
        <ul className="people-list">
          {members.map((m) => (
            <MemberRow key={m.id} member={m} rooms={rooms} isMe={m.name === me?.name} onChanged={load} />
          ))}
        </ul>
      )}
    </div>
  );
}

export function PeopleDialog(): ReactElement {
  const api = useApp();
  const rooms = useAppState((s) => s.server.rooms);
  const owner = useAppState((s) => s.ui.me?.role === "owner");
  const [tab, setTab] = useState<Tab>("members");
  const [invited, setInvited] = useState(0);
  return (
    <Modal title="People" onClose={api.closeDialog} size="medium" className="people-dialog">
      {!owner ? (
        <p className="modal-lead">Only the office&apos;s owners manage people.</p>
      ) : (
        <>
          <div className="segmented people-tabs" role="tablist" aria-label="People">
            {TABS.map((t) => (
              <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? "on" : ""} onClick={() => setTab(t.id)}>
                {t.id === "invite" && <Icon name="link" size={14} />} {t.label}
              </button>
            ))}
          </div>
          <div className="people-panel" role="tabpanel">
            {tab === "members" && <Members key={invited} rooms={rooms} />}
            {tab === "invite" && <InviteForm rooms={rooms} onInvited={() => setInvited((n) => n + 1)} />}
            {tab === "tokens" && <OfficeTokens />}
          </div>
        </>
      )}
    </Modal>
  );
}
