/**
 * How each kind of conversation entry looks: people's turns, replies, thinking, tool cards,
 * permission requests, notes, errors and the end of each turn.
 */

import { memo, useState, type ReactElement } from "react";
import { Icon } from "../app/icons";
import { fileUrl } from "../net/rest";
import type { Attachment, ErrorNote, PermissionAnswered, PermissionAsked, QueuedMessage, SessionStart, SystemNote, Text, Thinking, ToolCall, ToolResult, TurnEnd, UserTurn } from "../protocol";
import { clip, formatBytes, formatDuration, formatTime, formatUsage, toolSummary } from "./format";
import { turnText } from "./items";
import { copyText, Markdown } from "./Markdown";

/** Who this browser is signed in as, for telling its own messages apart (null before the office says). */
export interface Me {
  name: string;
  device: string | null;
}

function isMine(message: QueuedMessage, me: Me | null): boolean {
  return me !== null && message.sender.kind === "person" && message.sender.name === me.name && (message.sender.device ?? null) === me.device;
}

function SenderTag({ message }: { message: QueuedMessage }): ReactElement {
  const s = message.sender;
  return (
    <span className={`sender sender--${s.kind}`}>
      <span className="sender-name">{s.name}</span>
      {s.kind !== "person" && <span className="sender-kind">{s.kind}</span>}
      {s.device && <span className="sender-device">{s.device}</span>}
    </span>
  );
}

/** Types the office serves as images (everything else is served as a download). */
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export function isImage(attachment: Attachment): boolean {
  return IMAGE_TYPES.has(attachment.mediaType);
}

/**
 * A message's files as chips that download them; images also show a small thumbnail. The name
 * is only ever text (it is whatever the sender's file was called); the address uses the
 * office's own stored file name.
 */
export function Attachments({ message, agentId }: { message: QueuedMessage; agentId: string }): ReactElement | null {
  if (message.attachments.length === 0) return null;
  return (
    <ul className="attachments">
      {message.attachments.map((a) => {
        const url = fileUrl(agentId, a.file);
        return (
          <li key={a.file} className={`attachment${isImage(a) ? " attachment--image" : ""}`}>
            <a className="attachment-link" href={url} download={a.name} title={`Download ${a.name} (${a.mediaType}, ${formatBytes(a.size)})`} rel="noopener">
              {isImage(a) && <img className="attachment-thumb" src={url} alt="" loading="lazy" decoding="async" />}
              {!isImage(a) && <Icon name="clip" size={13} />} <span className="attachment-name">{a.name}</span> <span className="muted">{formatBytes(a.size)}</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}

interface UserTurnProps {
  turn: UserTurn;
  agentId: string;
  me: Me | null;
  /** Branching is possible now (the backend can, and the agent is not busy). */
  canBranch: boolean;
  onBranch(turn: UserTurn, text: string): Promise<boolean>;
}

export const UserTurnCard = memo(function UserTurnCard({ turn, agentId, me, canBranch, onBranch }: UserTurnProps): ReactElement {
  const [editing, setEditing] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const branch = async () => {
    if (editing === null || editing.trim() === "") return;
    setSending(true);
    const ok = await onBranch(turn, editing);
    setSending(false);
    if (ok) setEditing(null);
  };
  return (
    <div className={`turn-user${turn.messages.every((m) => isMine(m, me)) ? " turn-user--mine" : ""}`} data-entry={turn.id}>
      {turn.steered && <div className="turn-steered">sent into the running turn</div>}
      {editing === null ? (
        turn.messages.map((m) => (
          <div key={m.id} className={`bubble${isMine(m, me) ? " bubble--mine" : ""}`}>
            <div className="bubble-head">
              <SenderTag message={m} />
              <time className="bubble-time" dateTime={new Date(m.createdAt).toISOString()}>
                {formatTime(m.createdAt)}
              </time>
            </div>
            <div className="bubble-text">{m.text}</div>
            <Attachments message={m} agentId={agentId} />
          </div>
        ))
      ) : (
        <div className="bubble bubble--editing">
          <p className="bubble-edit-note">Editing starts a new branch from here; the original conversation stays in the list of conversations.</p>
          <textarea
            className="bubble-edit"
            value={editing}
            autoFocus
            rows={Math.min(10, Math.max(2, editing.split("\n").length))}
            onChange={(e) => setEditing(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void branch();
              } else if (e.key === "Escape") {
                e.stopPropagation();
                setEditing(null);
              }
            }}
          />
          <div className="bubble-edit-actions">
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="button" className="btn btn--primary btn--small" disabled={sending || editing.trim() === ""} onClick={() => void branch()}>
              {sending ? "Branching…" : "Branch & send"}
            </button>
          </div>
        </div>
      )}
      {editing === null && canBranch && (
        <button type="button" className="turn-edit" title="Edit this message: the conversation branches here" onClick={() => setEditing(turnText(turn))}>
          <Icon name="edit" size={13} /> Edit & branch
        </button>
      )}
    </div>
  );
});

function CopyButton({ text, label = "Copy" }: { text: string; label?: string }): ReactElement {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="mini-btn"
      onClick={() =>
        void copyText(text).then((ok) => {
          setDone(ok);
          window.setTimeout(() => setDone(false), 1500);
        })
      }
    >
      <Icon name={done ? "check" : "copy"} size={13} /> {done ? "Copied" : label}
    </button>
  );
}

interface FullTextProps {
  truncated: boolean;
  onShowFull?(): void;
}

function Shortened({ truncated, onShowFull }: FullTextProps): ReactElement | null {
  if (!truncated) return null;
  return (
    <p className="shortened">
      Shortened here.{" "}
      {onShowFull && (
        <button type="button" className="link-btn" onClick={onShowFull}>
          Show the full text
        </button>
      )}
    </p>
  );
}

export const TextEntry = memo(function TextEntry({ entry, onShowFull }: { entry: Text; onShowFull?(): void }): ReactElement {
  return (
    <div className="reply" data-entry={entry.id}>
      <Markdown text={entry.text} />
      <Shortened truncated={entry.truncated} onShowFull={onShowFull} />
      <div className="reply-tools">
        <CopyButton text={entry.text} />
      </div>
    </div>
  );
});

export const ThinkingCard = memo(function ThinkingCard({ entry, live = false }: { entry: Pick<Thinking, "text" | "durationMs" | "truncated">; live?: boolean }): ReactElement {
  return (
    <details className={`card card--thinking${live ? " card--live" : ""}`} open={live}>
      <summary>
        <span className="card-icon" aria-hidden="true">
          <Icon name="thought" size={16} />
        </span>
        <span className="card-title">{live ? "Thinking…" : entry.durationMs ? `Thought for ${formatDuration(entry.durationMs)}` : "Thought"}</span>
      </summary>
      <div className="card-body thinking-text">{entry.text}</div>
    </details>
  );
});

export const ToolCard = memo(function ToolCard({ call, result, onShowFull }: { call: ToolCall | null; result: ToolResult | null; onShowFull?(): void }): ReactElement {
  const name = call?.name ?? "tool";
  const summary = call ? toolSummary(call.input) : "";
  const state = result === null ? "running" : result.isError ? "error" : "done";
  const input = call ? JSON.stringify(call.input, null, 2) : "";
  return (
    <details className={`card card--tool card--${state}`}>
      <summary>
        <span className="card-icon" aria-hidden="true">
          {state === "running" ? <span className="spinner" /> : <Icon name={state === "error" ? "close" : "wrench"} size={15} />}
        </span>
        <span className="card-title">{name}</span>
        {summary && <code className="card-summary">{summary}</code>}
        <span className="card-meta">{result?.durationMs != null ? formatDuration(result.durationMs) : state === "running" ? "running…" : ""}</span>
      </summary>
      <div className="card-body">
        {call && (
          <>
            <div className="card-label">Input</div>
            <pre className="card-pre">{input}</pre>
          </>
        )}
        {result && (
          <>
            <div className="card-label">{result.isError ? "Error" : "Output"}</div>
            <pre className={`card-pre${result.isError ? " card-pre--error" : ""}`}>{result.output || "(no output)"}</pre>
            <Shortened truncated={result.truncated} onShowFull={onShowFull} />
          </>
        )}
      </div>
    </details>
  );
});

interface PermissionProps {
  asked: PermissionAsked;
  answer: PermissionAnswered | null;
  /** The agent is still waiting for this answer. */
  open: boolean;
  agentName: string;
  onAnswer(allow: boolean): Promise<void>;
}

export function PermissionCard({ asked, answer, open, agentName, onAnswer }: PermissionProps): ReactElement {
  const [sending, setSending] = useState<boolean | null>(null);
  const summary = toolSummary(asked.input, 200);
  const answerNow = async (allow: boolean) => {
    setSending(allow);
    await onAnswer(allow);
    setSending(null);
  };
  const disabled = !open || answer !== null || sending !== null;
  return (
    <div className={`permission${answer ? ` permission--${answer.decision}` : open ? " permission--open" : " permission--closed"}`} data-entry={asked.id}>
      <div className="permission-head">
        <span className="permission-icon" aria-hidden="true">
          <Icon name="lock" size={18} />
        </span>
        <strong>
          {agentName} asks to use <code>{asked.tool}</code>
        </strong>
      </div>
      {summary && <code className="permission-summary">{summary}</code>}
      {asked.reason && <p className="permission-reason">{asked.reason}</p>}
      <div className="permission-actions">
        {answer !== null ? (
          <span className="permission-outcome">
            {answer.decision === "allow" ? "✓ Allowed" : "✗ Denied"} by {answer.by}
            {answer.message ? `: ${answer.message}` : ""}
          </span>
        ) : !open ? (
          <span className="permission-outcome muted">No longer waiting for an answer</span>
        ) : null}
        <span className="grow" />
        <button type="button" className="btn btn--small btn--ghost" disabled={disabled} onClick={() => void answerNow(false)}>
          {sending === false ? "Denying…" : "Deny"}
        </button>
        <button type="button" className="btn btn--small btn--primary" disabled={disabled} onClick={() => void answerNow(true)}>
          {sending === true ? "Allowing…" : "Allow"}
        </button>
      </div>
    </div>
  );
}

export function AnswerLine({ entry }: { entry: PermissionAnswered }): ReactElement {
  return (
    <p className="note">
      {entry.decision === "allow" ? "Allowed" : "Denied"} by {entry.by}
    </p>
  );
}

export function SystemLine({ entry }: { entry: SystemNote }): ReactElement {
  return <p className={`note note--${entry.level}`}>{entry.text}</p>;
}

export function ErrorCard({ entry }: { entry: ErrorNote }): ReactElement {
  return (
    <div className="error-card" role="note">
      <strong>{entry.message}</strong>
      {entry.hint && <p>{entry.hint}</p>}
    </div>
  );
}

export function TurnEndLine({ entry }: { entry: TurnEnd }): ReactElement {
  const usage = formatUsage(entry.usage);
  const bits = [entry.durationMs > 0 ? formatDuration(entry.durationMs) : "", usage].filter(Boolean).join(" · ");
  if (entry.status === "interrupted") {
    return (
      <div className="turn-end turn-end--interrupted">
        <span className="pill pill--muted">
          <Icon name="stop" size={13} /> Interrupted
        </span>
        {bits && <span className="turn-end-usage">{bits}</span>}
      </div>
    );
  }
  if (entry.status === "failed") {
    return (
      <div className="turn-end turn-end--failed">
        <span className="pill pill--error">✗ The turn failed{entry.error ? `: ${clip(entry.error, 300)}` : ""}</span>
        {bits && <span className="turn-end-usage">{bits}</span>}
      </div>
    );
  }
  return <div className="turn-end">{bits && <span className="turn-end-usage">{bits}</span>}</div>;
}

const ORIGIN_TEXT: Record<SessionStart["origin"], string> = {
  new: "New conversation",
  resumed: "Conversation resumed",
  forked: "Branched from an earlier message",
  restored: "Restored after the office restarted",
};

export function SessionDivider({ entry }: { entry: SessionStart }): ReactElement {
  return (
    <div className="divider" role="separator">
      <span>
        {ORIGIN_TEXT[entry.origin]} · {formatTime(entry.ts)}
      </span>
    </div>
  );
}
