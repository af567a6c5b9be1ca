/**
 * The message box. Enter sends (Shift+Enter for a new line), Ctrl+C interrupts a busy agent when
 * no text is selected. What is typed is saved per agent as it is typed, so switching agents or
 * reloading the page loses nothing. Files can be attached (button, drop or paste): they upload at
 * once, and sending waits until every upload is done. Typing is reported to the office (others
 * see "… is typing"), and stops on send, when the box loses focus, or after a quiet moment.
 */

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent, type ReactElement } from "react";
import { useApp } from "../app/context";
import { useMediaQuery } from "../app/hooks";
import { Icon } from "../app/icons";
import { messageOf } from "../net/errors";
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD, uploadFiles } from "../net/rest";
import type { Attachment } from "../protocol";
import { loadDraft, local, saveDraft } from "../store/storage";
import { formatBytes } from "./format";

interface Staged {
  id: number;
  name: string;
  size: number;
  state: "uploading" | "ready" | "failed";
  attachment?: Attachment;
  error?: string;
}

interface ComposerProps {
  agentId: string;
  agentName: string;
  busy: boolean;
  /** Files dropped anywhere on the chat, handed over by the view. */
  dropped: File[] | null;
  onDroppedTaken(): void;
}

let stagedIds = 0;

export function Composer({ agentId, agentName, busy, dropped, onDroppedTaken }: ComposerProps): ReactElement {
  const api = useApp();
  const storage = local();
  const [text, setText] = useState(() => loadDraft(storage, agentId));
  const [staged, setStaged] = useState<Staged[]>([]);
  const box = useRef<HTMLTextAreaElement | null>(null);
  const picker = useRef<HTMLInputElement | null>(null);
  const touch = useMediaQuery("(pointer: coarse)");

  const change = (value: string) => {
    setText(value);
    saveDraft(storage, agentId, value);
    if (value.trim() === "") api.client.presence.stopTyping();
    else api.client.presence.typed();
  };

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 220)}px`;
  }, [text]);

  useEffect(() => {
    if (!touch) box.current?.focus();
  }, [agentId, touch]);

  const stage = useCallback(
    (files: File[]) => {
      const accepted = files.slice(0, MAX_FILES_PER_UPLOAD);
      if (files.length > accepted.length) api.notify(`At most ${MAX_FILES_PER_UPLOAD} files at a time; the rest were left out.`, "info");
      for (const file of accepted) {
        stagedIds += 1;
        const id = stagedIds;
        if (file.size > MAX_FILE_BYTES) {
          setStaged((list) => [...list, { id, name: file.name, size: file.size, state: "failed", error: `larger than ${formatBytes(MAX_FILE_BYTES)}` }]);
          continue;
        }
        setStaged((list) => [...list, { id, name: file.name, size: file.size, state: "uploading" }]);
        uploadFiles(agentId, [file])
          .then(([attachment]) => setStaged((list) => list.map((s) => (s.id === id ? { ...s, state: "ready", attachment } : s))))
          .catch((error: unknown) => setStaged((list) => list.map((s) => (s.id === id ? { ...s, state: "failed", error: messageOf(error) } : s))));
      }
    },
    [agentId, api],
  );

  useEffect(() => {
    if (dropped !== null) {
      stage(dropped);
      onDroppedTaken();
    }
  }, [dropped, onDroppedTaken, stage]);

  const uploading = staged.some((s) => s.state === "uploading");
  const ready = staged.filter((s) => s.state === "ready" && s.attachment !== undefined);
  const canSend = !uploading && (text.trim() !== "" || ready.length > 0);

  const send = () => {
    if (!canSend) return;
    const body = text.trim() === "" ? "(see the attached files)" : text;
    const attachments = ready.map((s) => ({ file: (s.attachment as Attachment).file, name: (s.attachment as Attachment).name }));
    // The command is kept (and saved) until the office confirms it, so the box can be emptied now.
    change("");
    setStaged((list) => list.filter((s) => s.state === "failed"));
    api.client.command({ type: "send_message", agentId, text: body, attachments }).catch((error: unknown) => {
      if ((error as { code?: string }).code === "cancelled") return;
      api.notify(`Your message to ${agentName} was not accepted: ${messageOf(error)}`);
      setText((current) => {
        if (current.trim() !== "") return current;
        saveDraft(storage, agentId, body);
        return body;
      });
    });
  };

  const interrupt = () => void api.run({ type: "interrupt", agentId });

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === "Enter" && !e.shiftKey && !e.altKey && !touch) {
      e.preventDefault();
      send();
      return;
    }
    if ((e.key === "c" || e.key === "C") && e.ctrlKey && !e.shiftKey && !e.metaKey && busy) {
      const el = e.currentTarget;
      const selection = window.getSelection();
      const nothingSelected = el.selectionStart === el.selectionEnd && (selection === null || selection.isCollapsed || !selection.toString());
      if (nothingSelected) {
        e.preventDefault();
        interrupt();
      }
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.files];
    if (files.length > 0) {
      e.preventDefault();
      stage(files);
    }
  };

  const placeholder = busy ? `Queue a message for ${agentName}…` : `Message ${agentName}…`;
  const keys = touch ? undefined : busy ? "Enter sends · Shift+Enter new line · Ctrl+C interrupts" : "Enter sends · Shift+Enter new line";

  return (
    <div className="composer">
      {staged.length > 0 && (
        <ul className="staged">
          {staged.map((s) => (
            <li key={s.id} className={`staged-file staged-file--${s.state}`} title={s.error ?? `${s.name}, ${formatBytes(s.size)}`}>
              {s.state === "uploading" ? <span className="spinner" aria-hidden="true" /> : <Icon name={s.state === "failed" ? "close" : "clip"} size={13} />}
              <span className="staged-name">{s.name}</span>
              <span className="muted small">{s.state === "failed" ? s.error : s.state === "uploading" ? "uploading…" : formatBytes(s.size)}</span>
              <button type="button" className="staged-remove" aria-label={`Remove ${s.name}`} onClick={() => setStaged((list) => list.filter((x) => x.id !== s.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer-row">
        <button type="button" className="icon-btn composer-attach" title="Attach files" aria-label="Attach files" onClick={() => picker.current?.click()}>
          <Icon name="clip" />
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            stage([...(e.target.files ?? [])]);
            e.target.value = "";
          }}
        />
        <textarea
          ref={box}
          className="composer-input"
          data-composer="true"
          rows={1}
          value={text}
          placeholder={placeholder}
          aria-label={`Message to ${agentName}`}
          title={keys}
          onChange={(e) => change(e.target.value)}
          onKeyDown={onKey}
          onPaste={onPaste}
          onBlur={() => api.client.presence.stopTyping()}
        />
        {busy && text.trim() === "" && ready.length === 0 ? (
          <button type="button" className="send-btn send-btn--stop" onClick={interrupt} title="Interrupt (Ctrl+C)" aria-label={`Interrupt ${agentName}`}>
            <Icon name="stop" />
          </button>
        ) : (
          <button type="button" className="send-btn" disabled={!canSend} onClick={send} title={uploading ? "Waiting for the upload to finish" : "Send (Enter)"} aria-label="Send">
            <Icon name="send" />
          </button>
        )}
      </div>
    </div>
  );
}
