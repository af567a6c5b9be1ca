/** Small hooks shared across views: a ticking clock, the route, media queries. */

import { useEffect, useState, useSyncExternalStore } from "react";
import { parseRoute, routeHash, type Route } from "./route";

/** The current time, refreshed every `everyMs` (timers, clocks, "2 min ago"). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function subscribeHash(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash, () => "");
  return parseRoute(hash);
}

export function navigate(route: Route, replace = false): void {
  const hash = routeHash(route);
  if (window.location.hash === hash || (hash === "#/" && window.location.hash === "")) return;
  if (replace) {
    window.history.replaceState(null, "", hash);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = hash;
  }
}

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (listener) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", listener);
      return () => list.removeEventListener("change", listener);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}
