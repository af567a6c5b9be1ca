/**
 * The conversation: entries as cards, the block being streamed, and what the agent is doing now.
 * It follows new output while you are at the bottom, stays put while you read further up, and
 * loads older history from the server when you scroll to the top (the snapshot only holds a tail).
 */

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { useNow } from "../app/hooks";
import { messageOf } from "../net/errors";
import { fetchLogPage } from "../net/rest";
import type { LogEntry, UserTurn } from "../protocol";
import { EMPTY_LOG } from "../store/state";
import { useAppState, useStoreInstance } from "../store/store";
import { AnswerLine, ErrorCard, PermissionCard, SessionDivider, SystemLine, TextEntry, ThinkingCard, ToolCard, TurnEndLine, UserTurnCard, type Me } from "./Entries";
import { activityWord, formatElapsed, isBusy, timerTone, workingSince } from "./format";
import { chatItems, type ChatItem } from "./items";
import { Markdown } from "./Markdown";

const NEAR_BOTTOM_PX = 90;

interface LogPaneProps {
  agentId: string;
  agentName: string;
  me: Me | null;
  canBranch: boolean;
}

export function LogPane({ agentId, agentName, me, canBranch }: LogPaneProps): ReactElement {
  const api = useApp();
  const store = useStoreInstance();
  const log = useAppState((s) => s.server.logs[agentId] ?? EMPTY_LOG);
  const streams = useAppState((s) => s.server.streams[agentId] ?? []);
  const status = useAppState((s) => s.server.statuses[agentId]);
  const busy = isBusy(status);
  const items = useMemo(() => chatItems(log.entries), [log.entries]);
  const scroller = useRef<HTMLDivElement | null>(null);
  const sentinel = useRef<HTMLDivElement | null>(null);
  const stick = useRef(true);
  const anchor = useRef<{ height: number; top: number; first: string | undefined } | null>(null);
  const [showJump, setShowJump] = useState(false);
  const [older, setOlder] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });

  const loadOlder = useCallback(async () => {
    const current = store.getState().server.logs[agentId];
    const before = current?.older ?? null;
    if (before === null || older.loading) return;
    const el = scroller.current;
    anchor.current = el ? { height: el.scrollHeight, top: el.scrollTop, first: current?.entries[0]?.id } : null;
    setOlder({ loading: true, error: null });
    try {
      const page = await fetchLogPage(agentId, before, 60);
      store.dispatch({ type: "log_page", agentId, before, page });
      setOlder({ loading: false, error: null });
    } catch (error) {
      anchor.current = null;
      setOlder({ loading: false, error: messageOf(error) });
    }
  }, [agentId, older.loading, store]);

  // Older entries were put on top: keep what the reader was looking at where it was.
  useLayoutEffect(() => {
    const el = scroller.current;
    const saved = anchor.current;
    if (!el || !saved || saved.first === log.entries[0]?.id) return;
    el.scrollTop = el.scrollHeight - saved.height + saved.top;
    anchor.current = null;
  }, [log.entries]);

  // Follow new output while the reader is at the bottom (and not selecting text to copy).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !stick.current) return;
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && el.contains(selection.anchorNode)) return;
    el.scrollTop = el.scrollHeight;
  }, [items, streams, busy]);

  useEffect(() => {
    const el = sentinel.current;
    const root = scroller.current;
    if (!el || !root || log.older === null || older.error !== null) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadOlder();
    }, { root, rootMargin: "200px 0px 0px 0px" });
    observer.observe(el);
    return () => observer.disconnect();
  }, [log.older, loadOlder, older.error]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const near = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    stick.current = near;
    setShowJump(!near);
  };

  const jump = () => {
    const el = scroller.current;
    if (!el) return;
    stick.current = true;
    el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
  };

  const showFull = useCallback(
    async (entry: LogEntry) => {
      const current = store.getState().server.logs[agentId];
      if (current === undefined) return;
      const index = current.entries.findIndex((e) => e.id === entry.id);
      const before = current.cursors[index + 1] || null;
      try {
        const page = await fetchLogPage(agentId, before, 4);
        const full = page.entries.find((e) => e.id === entry.id);
        if (full === undefined) throw new Error("that part of the conversation could not be found");
        store.dispatch({ type: "entry_full", agentId, entry: full });
        if ("truncated" in full && full.truncated) api.notify("This is everything the office kept: it shortens very long outputs when it logs them.", "info");
      } catch (error) {
        api.notify(messageOf(error));
      }
    },
    [agentId, api, store],
  );

  const branch = useCallback(
    async (turn: UserTurn, text: string): Promise<boolean> => {
      try {
        await api.client.command({ type: "branch_from", agentId, entryId: turn.id, text });
        stick.current = true;
        return true;
      } catch (error) {
        api.notify(messageOf(error));
        return false;
      }
    },
    [agentId, api],
  );

  const answer = useCallback(
    async (requestId: string, allow: boolean) => {
      await api.run({ type: "answer_permission", agentId, requestId, allow, message: "" });
    },
    [agentId, api],
  );

  const waitingFor = status?.permission?.requestId ?? null;
  const empty = log.entries.length === 0 && streams.length === 0;

  return (
    <div className="log-wrap">
      <div className="log" ref={scroller} onScroll={onScroll} role="log" aria-label={`Conversation with ${agentName}`} aria-live="off">
        <div className="log-inner">
          {log.older !== null ? (
            <div ref={sentinel} className="log-older">
              {older.error !== null ? (
                <>
                  <span className="muted">Could not load earlier messages: {older.error}</span>{" "}
                  <button type="button" className="link-btn" onClick={() => void loadOlder()}>
                    Try again
                  </button>
                </>
              ) : (
                <button type="button" className="link-btn" onClick={() => void loadOlder()} disabled={older.loading}>
                  {older.loading ? "Loading earlier messages…" : "Load earlier messages"}
                </button>
              )}
            </div>
          ) : (
            !empty && <div className="log-start">The beginning of this conversation</div>
          )}
          {empty && (
            <div className="log-empty">
              <p>
                Say hello to <strong>{agentName}</strong>.
              </p>
              <p className="muted">Messages sent while {agentName} is busy wait in a queue and arrive together.</p>
            </div>
          )}
          {items.map((item) => (
            <ItemView key={item.key} item={item} agentId={agentId} me={me} canBranch={canBranch} agentName={agentName} waitingFor={waitingFor} onBranch={branch} onAnswer={answer} onShowFull={showFull} />
          ))}
          {streams.map((s) =>
            s.kind === "thinking" ? (
              <ThinkingCard key={s.block} entry={{ text: s.text, durationMs: null, truncated: false }} live />
            ) : (
              <div key={s.block} className="reply reply--live">
                <Markdown text={s.text} />
              </div>
            ),
          )}
          {busy && status !== undefined && <Activity since={workingSince(status, log.entries) ?? status.since} word={activityWord(status)} waiting={status.permission !== null} />}
        </div>
      </div>
      {showJump && (
        <button type="button" className="jump" onClick={jump}>
          ↓ Latest
        </button>
      )}
    </div>
  );
}

function Activity({ since, word, waiting }: { since: number; word: string; waiting: boolean }): ReactElement {
  const now = useNow(1000);
  const elapsed = now - since;
  return (
    <div className={`activity activity--${waiting ? "waiting" : timerTone(elapsed)}`}>
      <span className="dots" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      <span className="activity-word">{word}</span>
      <span className="activity-time">{formatElapsed(elapsed)}</span>
    </div>
  );
}

interface ItemViewProps {
  item: ChatItem;
  agentId: string;
  me: Me | null;
  canBranch: boolean;
  agentName: string;
  waitingFor: string | null;
  onBranch(turn: UserTurn, text: string): Promise<boolean>;
  onAnswer(requestId: string, allow: boolean): Promise<void>;
  onShowFull(entry: LogEntry): Promise<void>;
}

function ItemView({ item, agentId, me, canBranch, agentName, waitingFor, onBranch, onAnswer, onShowFull }: ItemViewProps): ReactElement | null {
  switch (item.kind) {
    case "session":
      return <SessionDivider entry={item.entry} />;
    case "user":
      return <UserTurnCard turn={item.entry} agentId={agentId} me={me} canBranch={canBranch} onBranch={onBranch} />;
    case "text":
      return <TextEntry entry={item.entry} onShowFull={item.entry.truncated ? () => void onShowFull(item.entry) : undefined} />;
    case "thinking":
      return <ThinkingCard entry={item.entry} />;
    case "tool": {
      const result = item.result;
      return <ToolCard call={item.call} result={result} onShowFull={result?.truncated ? () => void onShowFull(result) : undefined} />;
    }
    case "permission":
      return (
        <PermissionCard
          asked={item.asked}
          answer={item.answer}
          open={waitingFor === item.asked.requestId}
          agentName={agentName}
          onAnswer={(allow) => onAnswer(item.asked.requestId, allow)}
        />
      );
    case "answer":
      return <AnswerLine entry={item.entry} />;
    case "system":
      return <SystemLine entry={item.entry} />;
    case "error":
      return <ErrorCard entry={item.entry} />;
    case "turn_end":
      return <TurnEndLine entry={item.entry} />;
  }
}
