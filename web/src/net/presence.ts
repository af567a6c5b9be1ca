/**
 * What this browser tells the office about its person: which agent's chat is open (or none) and
 * whether they are typing to it. Typing is reported once when it starts and once when it stops
 * (on send, on leaving the box, or after a few seconds without a keystroke), never per keystroke.
 * Nothing is sent twice in a row; after a reconnect the current state is sent again.
 */

import type { PresenceUpdate } from "../protocol";

/** No keystroke for this long ends "typing". */
export const TYPING_IDLE_MS = 3_000;

export class PresenceReporter {
  private viewing: string | null = null;
  private typing = false;
  private sent: string | null = null;
  private idle: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Sends a frame; false when there is no connection to send it on. */
    private readonly send: (frame: PresenceUpdate) => boolean,
    private readonly onTyping: (typing: boolean) => void = () => undefined,
    private readonly idleMs = TYPING_IDLE_MS,
  ) {}

  /** The chat now open (null: the office, the task board, …). Changing view ends typing. */
  view(agentId: string | null): void {
    if (agentId === this.viewing) return;
    this.viewing = agentId;
    this.setTyping(false);
    this.flush();
  }

  /** A keystroke in the message box of the open chat. */
  typed(): void {
    if (this.viewing === null) return;
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stopTyping(), this.idleMs);
    if (!this.typing) {
      this.setTyping(true);
      this.flush();
    }
  }

  stopTyping(): void {
    if (!this.typing) return;
    this.setTyping(false);
    this.flush();
  }

  /** A new connection knows nothing yet: tell it the current state. */
  resend(): void {
    this.sent = null;
    this.flush();
  }

  current(): { viewing: string | null; typing: boolean } {
    return { viewing: this.viewing, typing: this.typing };
  }

  private setTyping(typing: boolean): void {
    if (!typing && this.idle !== null) {
      clearTimeout(this.idle);
      this.idle = null;
    }
    if (typing === this.typing) return;
    this.typing = typing;
    this.onTyping(typing);
  }

  private flush(): void {
    const frame: PresenceUpdate = { type: "presence_update", viewing: this.viewing, typing: this.typing };
    const key = `${frame.viewing ?? ""}|${String(frame.typing)}`;
    if (key === this.sent) return;
    if (this.send(frame)) this.sent = key;
  }
}
