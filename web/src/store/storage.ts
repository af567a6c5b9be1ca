/**
 * Small, failure-proof access to the browser's storage: per-agent drafts, and this device's
 * preferences (who the person is comes from the office, never from here). Storage can be missing
 * or full (private windows, quotas); nothing here throws.
 */

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

const memory = new Map<string, string>();
const MEMORY: KeyValue = {
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => void memory.set(k, v),
  removeItem: (k) => void memory.delete(k),
  get length() {
    return memory.size;
  },
  key: (i) => [...memory.keys()][i] ?? null,
};

function pick(name: "localStorage" | "sessionStorage"): KeyValue {
  try {
    const found = typeof window === "undefined" ? undefined : window[name];
    if (found === undefined || found === null) return MEMORY;
    found.getItem("isomux:probe");
    return found;
  } catch {
    return MEMORY;
  }
}

export function local(): KeyValue {
  return pick("localStorage");
}

export function session(): KeyValue {
  return pick("sessionStorage");
}

export function read(storage: KeyValue, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

export function write(storage: KeyValue, key: string, value: string | null): boolean {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function keysWithPrefix(storage: KeyValue, prefix: string): string[] {
  const found: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key !== null && key.startsWith(prefix)) found.push(key);
    }
  } catch {
    return found;
  }
  return found;
}

// Drafts -------------------------------------------------------------------------------------

const DRAFT = "isomux:draft:";

export function loadDraft(storage: KeyValue, agentId: string): string {
  return read(storage, DRAFT + agentId) ?? "";
}

/** Keep what is typed for an agent; an empty box forgets the draft. */
export function saveDraft(storage: KeyValue, agentId: string, text: string): void {
  write(storage, DRAFT + agentId, text.trim() === "" ? null : text);
}

/** Forget every draft (signing out: the next person on this browser must not see them). */
export function forgetDrafts(storage: KeyValue): void {
  for (const key of keysWithPrefix(storage, DRAFT)) write(storage, key, null);
}

/** Forget drafts of agents that no longer exist. */
export function pruneDrafts(storage: KeyValue, agentIds: ReadonlySet<string>): void {
  for (const key of keysWithPrefix(storage, DRAFT)) {
    if (!agentIds.has(key.slice(DRAFT.length))) write(storage, key, null);
  }
}

// Preferences -------------------------------------------------------------------------------

export type Theme = "light" | "dark";

export function loadTheme(storage: KeyValue, prefersDark: boolean): Theme {
  const saved = read(storage, "isomux:theme");
  if (saved === "light" || saved === "dark") return saved;
  return prefersDark ? "dark" : "light";
}

export function saveTheme(storage: KeyValue, theme: Theme): void {
  write(storage, "isomux:theme", theme);
}

export function loadRoom(storage: KeyValue): string | null {
  return read(storage, "isomux:room");
}

export function saveRoom(storage: KeyValue, roomId: string): void {
  write(storage, "isomux:room", roomId);
}

/** Each room's neon sign colour (a hue), chosen by clicking the sign. */
export function loadNeonHue(storage: KeyValue, roomId: string): number | null {
  const raw = read(storage, `isomux:neon:${roomId}`);
  const hue = raw === null ? NaN : Number(raw);
  return Number.isFinite(hue) ? hue : null;
}

export function saveNeonHue(storage: KeyValue, roomId: string, hue: number): void {
  write(storage, `isomux:neon:${roomId}`, String(Math.round(hue) % 360));
}
