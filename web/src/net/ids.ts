/** Identifiers the browser makes up: one per tab (kept across reloads) and one per command. */

import { read, write, type KeyValue } from "../store/storage";

function randomPart(length: number): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomPart(8)}`;
}

const CLIENT_KEY = "isomux:clientId";

/**
 * This tab's id: sessionStorage survives a reload of the tab but not a new tab, which is exactly
 * the lifetime of the server's "already answered" cache for resent commands.
 */
export function tabClientId(storage: KeyValue): string {
  const found = read(storage, CLIENT_KEY);
  if (found !== null && /^[a-z0-9_]{4,64}$/.test(found)) return found;
  const made = newId("c");
  write(storage, CLIENT_KEY, made);
  return made;
}

export function resetTabClientId(storage: KeyValue): string {
  write(storage, CLIENT_KEY, null);
  return tabClientId(storage);
}
