/**
 * The app shell: top bar, the current view (office, chat or task board), dialogs and notices —
 * or, when the office says this browser is not signed in, the signed-out screen. It owns device
 * preferences (theme, room), the global keyboard shortcuts, signing out, and telling the office
 * which chat this browser is looking at.
 */

import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from "react";
import { TaskBoard } from "../board/TaskBoard";
import { ChatView } from "../chat/ChatView";
import { DialogHost } from "../dialogs/DialogHost";
import { announceSignIn, onSignInChange, signOut } from "../net/auth";
import type { OfficeClient } from "../net/client";
import { messageOf } from "../net/errors";
import type { Command } from "../protocol";
import { useAppState, useStoreInstance } from "../store/store";
import { forgetDrafts, loadRoom, loadTheme, local, saveRoom, saveTheme, type Theme } from "../store/storage";
import { playChime, unlockAudioOnGesture } from "./chime";
import { AppContext, type AppApi, type DialogRequest, type NoticeTone } from "./context";
import { navigate as go, useRoute } from "./hooks";
import { Notices, type Notice } from "./Notices";
import { OfficeView } from "./OfficeView";
import type { Route } from "./route";
import { SignedOut } from "./SignedOut";
import { applyTheme, prefersDark } from "./theme";
import { TopBar } from "./TopBar";
import { useShortcuts } from "./useShortcuts";

/** A window event carrying a message for a notice, for code that runs outside React. */
export const NOTICE_EVENT = "isomux:notice";

export function App({ client }: { client: OfficeClient }): ReactElement {
  const route = useRoute();
  const store = useStoreInstance();
  const storage = local();
  const [theme, setTheme] = useState<Theme>(() => loadTheme(storage, prefersDark()));
  const [roomChoice, setRoomChoice] = useState<string | null>(() => loadRoom(storage));
  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const noticeId = useRef(0);

  const auth = useAppState((s) => s.ui.auth);
  const rooms = useAppState((s) => s.server.rooms);
  const viewedAgentRoom = useAppState((s) => (route.view === "chat" ? (s.server.agents[route.agentId]?.roomId ?? null) : null));
  const roomId = rooms.some((r) => r.id === roomChoice) ? roomChoice : (rooms[0]?.id ?? null);

  useEffect(() => applyTheme(theme), [theme]);
  useEffect(
    () =>
      onSignInChange((change) => {
        if (change === "signed_in") client.checkNow();
        else if (store.getState().ui.auth !== "signed_out") {
          setDialog(null);
          client.signOut();
        }
      }),
    [client, store],
  );
  const chatOpen = route.view === "chat" ? route.agentId : null;
  useEffect(() => client.presence.view(chatOpen), [client, chatOpen]);
  useEffect(() => unlockAudioOnGesture(), []);

  // Following an agent into its chat also moves the office to its room, so Esc lands there.
  useEffect(() => {
    if (viewedAgentRoom !== null && viewedAgentRoom !== roomChoice) {
      setRoomChoice(viewedAgentRoom);
      saveRoom(storage, viewedAgentRoom);
    }
  }, [viewedAgentRoom, roomChoice, storage]);

  const notify = useCallback((message: string, tone: NoticeTone = "error") => {
    noticeId.current += 1;
    const id = noticeId.current;
    setNotices((list) => [...list.slice(-3), { id, message, tone }]);
    window.setTimeout(() => setNotices((list) => list.filter((n) => n.id !== id)), tone === "error" ? 8000 : 4000);
  }, []);

  useEffect(() => {
    const onNotice = (e: Event) => notify(String((e as CustomEvent<string>).detail));
    window.addEventListener(NOTICE_EVENT, onNotice);
    return () => window.removeEventListener(NOTICE_EVENT, onNotice);
  }, [notify]);

  const run = useCallback(
    async <T,>(command: Command): Promise<T | undefined> => {
      try {
        return await client.command<T>(command);
      } catch (error) {
        notify(messageOf(error));
        return undefined;
      }
    },
    [client, notify],
  );

  const api = useMemo<AppApi>(
    () => ({
      client,
      navigate: (r: Route) => go(r),
      openDialog: setDialog,
      closeDialog: () => setDialog(null),
      notify,
      run,
      theme,
      toggleTheme: () =>
        setTheme((t) => {
          const next = t === "dark" ? "light" : "dark";
          saveTheme(storage, next);
          return next;
        }),
      signOut: async () => {
        try {
          await signOut();
        } catch (error) {
          notify(`Could not sign out: ${messageOf(error)}`);
          return;
        }
        forgetDrafts(storage);
        setDialog(null);
        client.signOut();
        announceSignIn("signed_out");
        go({ view: "office" }, true);
      },
      roomId,
      setRoomId: (id: string) => {
        saveRoom(storage, id);
        setRoomChoice(id);
      },
    }),
    [client, notify, run, theme, roomId, storage],
  );

  useChimeWhenHidden();
  useShortcuts(api, route, dialog !== null || auth === "signed_out");

  if (auth === "signed_out") return <SignedOut onCheck={client.checkNow} />;

  return (
    <AppContext.Provider value={api}>
      <div className={`app app--${route.view}`}>
        <TopBar route={route} />
        <main className="app-main">
          {route.view === "office" && <OfficeView />}
          {route.view === "chat" && <ChatView key={route.agentId} agentId={route.agentId} />}
          {route.view === "tasks" && <TaskBoard />}
        </main>
        <DialogHost request={dialog} />
        <Notices notices={notices} onDismiss={(id) => setNotices((list) => list.filter((n) => n.id !== id))} />
      </div>
    </AppContext.Provider>
  );
}

function useChimeWhenHidden(): void {
  const chime = useAppState((s) => s.ui.chime);
  const seen = useRef(chime);
  useEffect(() => {
    if (chime > seen.current && document.hidden) playChime();
    seen.current = chime;
  }, [chime]);
}
