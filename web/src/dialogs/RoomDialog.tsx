/** A room's settings: its name, the prompt its agents get, and its env file (over the office's). */

import { useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { messageOf } from "../net/errors";
import { agentsInRoom } from "../store/selectors";
import { useAppState } from "../store/store";
import { Field, FormError, Modal } from "./Modal";
import { envHint, useEnvCheck } from "./useServerCheck";

export function RoomDialog({ roomId }: { roomId: string }): ReactElement {
  const api = useApp();
  const room = useAppState((s) => s.server.rooms.find((r) => r.id === roomId));
  const population = useAppState((s) => agentsInRoom(s.server, roomId).length);
  const roomCount = useAppState((s) => s.server.rooms.length);
  const [name, setName] = useState(room?.name ?? "");
  const [prompt, setPrompt] = useState(room?.prompt ?? "");
  const [envFile, setEnvFile] = useState(room?.envFile ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const env = useEnvCheck(envFile);
  if (room === undefined) {
    return (
      <Modal title="Room gone" onClose={api.closeDialog} size="small">
        <p>This room no longer exists.</p>
      </Modal>
    );
  }
  const attempt = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      api.notify(done, "success");
      api.closeDialog();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  const save = () =>
    attempt(async () => {
      if (name.trim() !== room.name) await api.client.command({ type: "rename_room", roomId, name: name.trim() });
      if (prompt !== room.prompt || envFile.trim() !== room.envFile) await api.client.command({ type: "update_room", roomId, prompt, envFile: envFile.trim() });
    }, `Saved ${name.trim()}`);
  const close = () => attempt(() => api.client.command({ type: "close_room", roomId }), `Closed ${room.name}`);
  return (
    <Modal
      title={`Room settings: ${room.name}`}
      onClose={api.closeDialog}
      busy={busy}
      footer={
        <>
          {roomCount > 1 && (
            <button
              type="button"
              className="btn btn--danger-soft"
              disabled={busy || population > 0}
              title={population > 0 ? "Move its agents out first" : undefined}
              onClick={() => void close()}
            >
              Close room
            </button>
          )}
          <span className="grow" />
          <button type="button" className="btn btn--ghost" onClick={api.closeDialog}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" disabled={busy || name.trim() === "" || env.state === "bad"} onClick={() => void save()}>
            {busy ? "Saving…" : "Save"}
          </button>
        </>
      }
    >
      <Field label="Name" htmlFor="room-name">
        <input id="room-name" value={name} maxLength={40} autoFocus onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Room prompt" htmlFor="room-prompt" hint="Every agent in this room gets it, after the office rules.">
        <textarea id="room-prompt" rows={5} value={prompt} placeholder="e.g. This room works on the mobile app." onChange={(e) => setPrompt(e.target.value)} />
      </Field>
      <Field label="Env file" htmlFor="room-env" error={env.state === "bad" ? env.message : null} hint={envHint(env, "Optional: overrides the office's env file for agents in this room.")}>
        <input id="room-env" value={envFile} spellCheck={false} placeholder="/home/you/.config/isomux/room.env" onChange={(e) => setEnvFile(e.target.value)} />
      </Field>
      <FormError message={error} />
    </Modal>
  );
}
