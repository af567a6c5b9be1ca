/**
 * The one store: holds `AppState`, runs actions through the reducer, and lets components
 * subscribe to just the slice they read (so a streaming reply re-renders the chat, not the office).
 */

import { createContext, useContext, useRef, useSyncExternalStore } from "react";
import { reduce, type Action } from "./reducer";
import { INITIAL_STATE, type AppState } from "./state";

export class Store {
  private state: AppState;
  private readonly listeners = new Set<() => void>();

  constructor(initial: AppState = INITIAL_STATE) {
    this.state = initial;
  }

  getState = (): AppState => this.state;

  dispatch = (action: Action): void => {
    const next = reduce(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}

export const StoreContext = createContext<Store | null>(null);

export function useStoreInstance(): Store {
  const store = useContext(StoreContext);
  if (store === null) throw new Error("the store is not provided");
  return store;
}

/** Shallow equality for arrays and plain objects: enough for selectors that build small lists. */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && Object.is(ra[k], rb[k]));
}

interface Cached<T> {
  state: AppState;
  selector: (s: AppState) => T;
  value: T;
}

/** The value `selector` picks from the store; re-renders only when it changes (shallowly). */
export function useAppState<T>(selector: (s: AppState) => T, equal: (a: T, b: T) => boolean = shallowEqual): T {
  const store = useStoreInstance();
  const cache = useRef<Cached<T> | null>(null);
  const read = (): T => {
    const state = store.getState();
    const previous = cache.current;
    if (previous !== null && previous.state === state && previous.selector === selector) return previous.value;
    const value = selector(state);
    if (previous !== null && equal(previous.value, value)) {
      cache.current = { state, selector, value: previous.value };
      return previous.value;
    }
    cache.current = { state, selector, value };
    return value;
  };
  return useSyncExternalStore(store.subscribe, read, read);
}
