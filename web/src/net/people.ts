/** The owners' REST calls for people: members, invites and tokens for other offices. */

import { callJson } from "./rest";

export type Role = "owner" | "member";

export interface MemberInfo {
  id: string;
  name: string;
  role: Role;
  /** null: every room. */
  rooms: string[] | null;
  devices: string[];
  createdAt: number;
}

export interface OfficeTokenInfo {
  id: string;
  label: string;
  createdAt: number;
}

export interface InviteRequest {
  role: Role;
  rooms: string[] | null;
  name: string | null;
  expiresInHours: number;
}

export function listMembers(): Promise<MemberInfo[]> {
  return callJson<MemberInfo[]>("GET", "/api/members");
}

export async function removeMember(id: string): Promise<void> {
  await callJson("DELETE", `/api/members/${encodeURIComponent(id)}`);
}

export function setMemberRooms(id: string, rooms: string[] | null): Promise<MemberInfo> {
  return callJson<MemberInfo>("PATCH", `/api/members/${encodeURIComponent(id)}`, { rooms });
}

/** A new single-use invite; only its token is used (the link is built from the address in the browser). */
export async function createInvite(request: InviteRequest): Promise<string> {
  const made = await callJson<{ token: string }>("POST", "/api/invites", request);
  return made.token;
}

export function listOfficeTokens(): Promise<OfficeTokenInfo[]> {
  return callJson<OfficeTokenInfo[]>("GET", "/api/office-tokens");
}

export function createOfficeToken(label: string): Promise<OfficeTokenInfo & { token: string }> {
  return callJson<OfficeTokenInfo & { token: string }>("POST", "/api/office-tokens", { label });
}

export async function revokeOfficeToken(id: string): Promise<void> {
  await callJson("DELETE", `/api/office-tokens/${encodeURIComponent(id)}`);
}
