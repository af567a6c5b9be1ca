/** The few REST calls the app makes directly: older history pages, file uploads, and the plumbing the sign-in and people calls share. */

import type { Attachment, LogPage } from "../protocol";
import { CommandError } from "./errors";

async function failure(response: Response): Promise<CommandError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) return new CommandError(body.error.code ?? "http", body.error.message);
  } catch {
    // not JSON: fall through to the status line
  }
  return new CommandError("http", `the office answered ${response.status} ${response.statusText}`.trim());
}

export async function call<T>(input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch {
    throw new CommandError("offline", "could not reach the office; check the connection and try again");
  }
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** A JSON request: the office refuses writes whose body is not sent as `application/json`. */
export function callJson<T>(method: string, input: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: "same-origin", cache: "no-store" };
  if (body !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  return call<T>(input, init);
}

/** Where an attachment can be downloaded (or shown, for images) by whoever may see its agent. */
export function fileUrl(agentId: string, file: string): string {
  return `/api/files/${encodeURIComponent(agentId)}/${encodeURIComponent(file)}`;
}

/** Up to `limit` entries just before `before` (null: the newest ones). */
export function fetchLogPage(agentId: string, before: string | null, limit = 60): Promise<LogPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before !== null) query.set("before", before);
  return call<LogPage>(`/api/agents/${encodeURIComponent(agentId)}/log?${query.toString()}`);
}

export const MAX_FILES_PER_UPLOAD = 5;
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Store files for an agent; the returned attachments are then referenced by a message. */
export async function uploadFiles(agentId: string, files: readonly File[]): Promise<Attachment[]> {
  const form = new FormData();
  files.forEach((file, i) => form.append(`file${i}`, file, file.name));
  const body = await call<{ attachments: Attachment[] }>(`/api/upload/${encodeURIComponent(agentId)}`, { method: "POST", body: form });
  return body.attachments;
}
