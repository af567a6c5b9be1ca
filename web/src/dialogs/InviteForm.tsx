/**
 * Making an invite: a member (every room, or only some) or another owner, optionally already
 * named, for a limited time. The link is built from the address this page was opened with —
 * the address the owner already knows works — and shown once.
 */

import { useId, useState, type FormEvent, type ReactElement } from "react";
import { Icon } from "../app/icons";
import { inviteLink } from "../net/auth";
import { messageOf } from "../net/errors";
import { createInvite, type Role } from "../net/people";
import type { Room } from "../protocol";
import { Field, FormError } from "./Modal";
import { OnceSecret } from "./OnceSecret";

export const EXPIRY_CHOICES: readonly { hours: number; label: string }[] = [
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "1 day" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "1 week" },
  { hours: 720, label: "30 days" },
];

/** Toggle one room in a chosen list of rooms (keeps the rooms' own order). */
export function toggleRoom(rooms: readonly Room[], chosen: readonly string[], roomId: string): string[] {
  const set = new Set(chosen);
  if (set.has(roomId)) set.delete(roomId);
  else set.add(roomId);
  return rooms.filter((r) => set.has(r.id)).map((r) => r.id);
}

export function RoomPicker({ rooms, chosen, onChange, label }: { rooms: readonly Room[]; chosen: readonly string[]; onChange(next: string[]): void; label: string }): ReactElement {
  return (
    <div className="chips room-picker" role="group" aria-label={label}>
      {rooms.map((room) => {
        const on = chosen.includes(room.id);
        return (
          <button key={room.id} type="button" role="checkbox" aria-checked={on} className={`chip${on ? " chip--on" : ""}`} onClick={() => onChange(toggleRoom(rooms, chosen, room.id))}>
            {on && <Icon name="check" size={13} />} {room.name}
          </button>
        );
      })}
    </div>
  );
}

interface Made {
  link: string;
  who: string;
  expires: number;
}

export function InviteForm({ rooms, onInvited }: { rooms: readonly Room[]; onInvited(): void }): ReactElement {
  const ids = useId();
  const [role, setRole] = useState<Role>("member");
  const [everyRoom, setEveryRoom] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [hours, setHours] = useState(72);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<Made | null>(null);

  const limited = role === "member" && !everyRoom;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (limited && chosen.length === 0) {
      setError("Choose at least one room, or let them see every room.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const token = await createInvite({ role, rooms: limited ? chosen : null, name: name.trim() === "" ? null : name.trim(), expiresInHours: hours });
      setMade({ link: inviteLink(window.location.origin, token), who: name.trim(), expires: Date.now() + hours * 3_600_000 });
      setName("");
      onInvited();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  if (made !== null) {
    return (
      <div className="invite-made">
        <p className="modal-lead">
          <strong>{made.who ? `An invite for ${made.who}` : "An invite"}</strong>, valid once until{" "}
          {new Date(made.expires).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })}:
        </p>
        <OnceSecret value={made.link} label="Invite link">
          Whoever opens it first gets in.
        </OnceSecret>
        <button type="button" className="btn btn--soft btn--small" onClick={() => setMade(null)}>
          <Icon name="plus" size={14} /> Another invite
        </button>
      </div>
    );
  }

  return (
    <form className="invite-form" onSubmit={(e) => void submit(e)}>
      <Field label="They join as">
        <div className="segmented" role="radiogroup" aria-label="Role">
          {(["member", "owner"] as const).map((r) => (
            <button key={r} type="button" role="radio" aria-checked={role === r} className={role === r ? "on" : ""} onClick={() => setRole(r)}>
              {r === "member" ? "Member" : "Owner"}
            </button>
          ))}
        </div>
      </Field>
      <p className="field-hint invite-role-hint">
        {role === "owner" ? "Owners see every room and can invite and remove people." : "Members work with the agents in their rooms; they cannot manage people."}
      </p>
      {role === "member" && (
        <Field label="Rooms">
          <label className="check-row">
            <input type="checkbox" checked={everyRoom} onChange={(e) => setEveryRoom(e.target.checked)} /> Every room (including rooms made later)
          </label>
          {!everyRoom && <RoomPicker rooms={rooms} chosen={chosen} onChange={setChosen} label="Rooms they can see" />}
        </Field>
      )}
      <div className="field-row">
        <Field label="Their name (optional)" htmlFor={`${ids}-name`} hint="Leave it empty to let them choose it when they join.">
          <input id={`${ids}-name`} value={name} maxLength={40} placeholder="e.g. Bob" onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="The link expires in" htmlFor={`${ids}-expiry`}>
          <select id={`${ids}-expiry`} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.hours} value={c.hours}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <FormError message={error} />
      <button type="submit" className="btn btn--primary" disabled={busy}>
        <Icon name="link" size={15} /> {busy ? "Making the link…" : "Create invite link"}
      </button>
    </form>
  );
}
