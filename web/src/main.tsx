/**
 * The browser app's entry. `/join` is the sign-in page for an invite link; every other path is
 * the office: one store, one connection, and the app shell.
 */

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, NOTICE_EVENT } from "./app/App";
import { JoinPage } from "./app/JoinPage";
import { checkSignedIn, isJoinPage } from "./net/auth";
import { OfficeClient } from "./net/client";
import { resetTabClientId, tabClientId } from "./net/ids";
import { ORPHAN_AFTER_MS, PendingQueue } from "./net/pending";
import { Store, StoreContext } from "./store/store";
import { local, pruneDrafts, read, session } from "./store/storage";
import "./styles/app.css";
import "./styles/people.css";

const HEARTBEAT_MS = 5_000;

function clientIdForThisTab(): string {
  const id = tabClientId(session());
  // A duplicated tab inherits the sessionStorage of the original, which is still alive.
  const alive = Number(read(local(), `isomux:alive:${id}`) ?? "0");
  return Date.now() - alive < Math.min(ORPHAN_AFTER_MS, HEARTBEAT_MS * 2) ? resetTabClientId(session()) : id;
}

function startOffice(): void {
  const store = new Store();
  const clientId = clientIdForThisTab();
  const queue = new PendingQueue(local(), clientId);
  queue.heartbeat(Date.now());
  window.setInterval(() => queue.heartbeat(Date.now()), HEARTBEAT_MS);
  window.addEventListener("pagehide", () => queue.leaving());

  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const client = new OfficeClient({
    url: `${scheme}://${window.location.host}/ws`,
    store,
    clientId,
    queue,
    checkSignIn: () => checkSignedIn(),
    onOrphanFailure: (command, error) => {
      const what = command.type === "send_message" ? "A message sent earlier" : "A change made earlier";
      window.dispatchEvent(new CustomEvent(NOTICE_EVENT, { detail: `${what} was refused by the office: ${error.message}` }));
    },
  });

  const stopWatching = store.subscribe(() => {
    const { ui, server } = store.getState();
    if (!ui.loaded) return;
    stopWatching();
    pruneDrafts(local(), new Set(Object.keys(server.agents)));
  });

  client.start();

  const root = document.getElementById("root");
  if (root) {
    createRoot(root).render(
      <StrictMode>
        <StoreContext.Provider value={store}>
          <App client={client} />
        </StoreContext.Provider>
      </StrictMode>,
    );
  }
}

function startJoinPage(): void {
  const root = document.getElementById("root");
  if (root) {
    createRoot(root).render(
      <StrictMode>
        <JoinPage />
      </StrictMode>,
    );
  }
}

if (isJoinPage(window.location.pathname)) startJoinPage();
else startOffice();
