/**
 * Signing in and out. The office keeps the credential in an HttpOnly cookie that this code never
 * sees: it only accepts an invite (which sets the cookie), signs out (which clears it), and asks
 * `/api/me` whether the cookie still works — the one way to tell "signed out" from "office down",
 * since a refused WebSocket only shows up as a closed socket.
 */

import { callJson } from "./rest";

export type SignInCheck = "signed_in" | "signed_out" | "unknown";

/** What `/api/me` says about this browser: 401 means signed out; no answer at all says nothing. */
export async function checkSignedIn(fetcher: typeof fetch = fetch): Promise<SignInCheck> {
  try {
    const response = await fetcher("/api/me", { cache: "no-store", credentials: "same-origin" });
    if (response.status === 401) return "signed_out";
    return response.ok ? "signed_in" : "unknown";
  } catch {
    return "unknown";
  }
}

/** Turn an invite into a signed-in browser (the answer sets the session cookie). */
export async function acceptInvite(token: string, name: string | null, device: string): Promise<void> {
  await callJson("POST", "/auth/accept", { token, name, device });
}

export async function signOut(): Promise<void> {
  await callJson("POST", "/auth/logout");
}

const TOKEN = /^ixi_[A-Za-z0-9_-]{8,200}$/;

/** The invite in a join link's fragment (`/join#ixi_…`), or null when it is missing or mangled. */
export function inviteTokenFromHash(hash: string): string | null {
  let raw = hash.replace(/^#/, "").trim();
  try {
    raw = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return TOKEN.test(raw) ? raw : null;
}

/** The token inside a whole pasted link (or a bare token), for people who paste what they were sent. */
export function inviteTokenFromText(text: string): string | null {
  const trimmed = text.trim();
  const hashAt = trimmed.indexOf("#");
  return inviteTokenFromHash(hashAt >= 0 ? trimmed.slice(hashAt) : trimmed);
}

export function inviteLink(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, "")}/join#${token}`;
}

/** A first guess at what to call this device; the person can change it before joining. */
export function guessDevice(userAgent: string): string {
  if (/iPad|Tablet/i.test(userAgent)) return "Tablet";
  if (/Mobi|Android|iPhone/i.test(userAgent)) return "Phone";
  return "Laptop";
}

export const JOIN_PATH = "/join";

export function isJoinPage(pathname: string): boolean {
  return pathname.replace(/\/+$/, "") === JOIN_PATH;
}

export type SignInChange = "signed_in" | "signed_out";

const CHANNEL = "isomux:sign-in";

/**
 * Tell this browser's other tabs: they share the cookie, so a sign-out here must close their
 * connections too, and a sign-in here lets a signed-out tab come back at once.
 */
export function announceSignIn(change: SignInChange): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(change);
  channel.close();
}

export function onSignInChange(listener: (change: SignInChange) => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e: MessageEvent) => {
    if (e.data === "signed_in" || e.data === "signed_out") listener(e.data);
  };
  return () => channel.close();
}
