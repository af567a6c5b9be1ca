/**
 * The room tabs above the office: switch rooms, double-click to rename, drag to reorder, "+" for
 * a new room, "×" to close an empty one, ⚙ for the room's settings. Server refusals (a duplicate
 * name, a room that still has agents) are shown as notices.
 */

import { useState, type DragEvent, type KeyboardEvent, type ReactElement } from "react";
import type { Room } from "../protocol";
import { useAppState } from "../store/store";
import { useApp } from "./context";
import { Icon } from "./icons";

/** `order` with `moved` placed where `target` is. */
export function reorder(order: readonly string[], moved: string, target: string): string[] {
  if (moved === target) return [...order];
  const without = order.filter((id) => id !== moved);
  const at = without.indexOf(target);
  const from = order.indexOf(moved);
  const to = order.indexOf(target);
  without.splice(from < to ? at + 1 : at, 0, moved);
  return without;
}

function RenameBox({ room, onDone }: { room: Room; onDone(): void }): ReactElement {
  const { run, notify } = useApp();
  const [name, setName] = useState(room.name);
  const save = async () => {
    const trimmed = name.trim();
    if (trimmed === "" || trimmed === room.name) return onDone();
    const result = await run({ type: "rename_room", roomId: room.id, name: trimmed });
    if (result !== undefined) {
      notify(`Renamed to ${trimmed}`, "success");
      onDone();
    }
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") void save();
    if (e.key === "Escape") {
      e.stopPropagation();
      onDone();
    }
  };
  return (
    <input
      className="roomtab-rename"
      value={name}
      autoFocus
      maxLength={40}
      aria-label="Room name"
      onChange={(e) => setName(e.target.value)}
      onKeyDown={onKey}
      onBlur={() => void save()}
    />
  );
}

export function RoomTabs(): ReactElement {
  const api = useApp();
  const rooms = useAppState((s) => s.server.rooms);
  const counts = useAppState((s) => {
    const found: Record<string, number> = {};
    for (const agent of Object.values(s.server.agents)) found[agent.roomId] = (found[agent.roomId] ?? 0) + 1;
    return found;
  });
  const attention = useAppState((s) => {
    const found: Record<string, boolean> = {};
    for (const id of Object.keys(s.ui.attention)) {
      const room = s.server.agents[id]?.roomId;
      if (room !== undefined) found[room] = true;
    }
    return found;
  });
  const [renaming, setRenaming] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);

  const create = async () => {
    const room = await api.run<Room>({ type: "create_room", name: null });
    if (room !== undefined) api.setRoomId(room.id);
  };

  const close = async (room: Room) => {
    const result = await api.run({ type: "close_room", roomId: room.id });
    if (result !== undefined && api.roomId === room.id) {
      const other = rooms.find((r) => r.id !== room.id);
      if (other) api.setRoomId(other.id);
    }
  };

  const drop = async (e: DragEvent, target: string) => {
    e.preventDefault();
    setOver(null);
    const moved = dragging ?? e.dataTransfer.getData("text/x-isomux-room");
    setDragging(null);
    if (!moved || moved === target) return;
    await api.run({ type: "reorder_rooms", order: reorder(rooms.map((r) => r.id), moved, target) });
  };

  return (
    <div className="roomtabs" role="tablist" aria-label="Rooms">
      {rooms.map((room, index) => {
        const active = room.id === api.roomId;
        const count = counts[room.id] ?? 0;
        return (
          <div
            key={room.id}
            className={`roomtab${active ? " roomtab--active" : ""}${over === room.id ? " roomtab--over" : ""}${dragging === room.id ? " roomtab--dragging" : ""}`}
            draggable={renaming !== room.id}
            onDragStart={(e) => {
              e.dataTransfer.setData("text/x-isomux-room", room.id);
              e.dataTransfer.effectAllowed = "move";
              setDragging(room.id);
            }}
            onDragEnd={() => {
              setDragging(null);
              setOver(null);
            }}
            onDragOver={(e) => {
              if (dragging === null) return;
              e.preventDefault();
              setOver(room.id);
            }}
            onDragLeave={() => setOver((o) => (o === room.id ? null : o))}
            onDrop={(e) => void drop(e, room.id)}
          >
            {renaming === room.id ? (
              <RenameBox room={room} onDone={() => setRenaming(null)} />
            ) : (
              <button
                type="button"
                role="tab"
                aria-selected={active}
                className="roomtab-main"
                onClick={() => api.setRoomId(room.id)}
                onDoubleClick={() => setRenaming(room.id)}
                title={`${room.name} — double-click to rename, drag to reorder`}
              >
                <span className="roomtab-index">{index + 1}</span>
                <span className="roomtab-name">{room.name}</span>
                <span className="roomtab-count">{count}/8</span>
                {attention[room.id] && !active && <span className="roomtab-ping" aria-label="an agent here needs attention" />}
              </button>
            )}
            {active && renaming !== room.id && (
              <button type="button" className="roomtab-tool" title="Room settings" aria-label={`Settings of ${room.name}`} onClick={() => api.openDialog({ kind: "room", roomId: room.id })}>
                <Icon name="gear" size={15} />
              </button>
            )}
            {count === 0 && rooms.length > 1 && renaming !== room.id && (
              <button type="button" className="roomtab-tool" title="Close this empty room" aria-label={`Close ${room.name}`} onClick={() => void close(room)}>
                <Icon name="close" size={14} />
              </button>
            )}
          </div>
        );
      })}
      <button type="button" className="roomtab-add" onClick={() => void create()} title="New room" aria-label="New room">
        <Icon name="plus" size={16} />
      </button>
    </div>
  );
}
