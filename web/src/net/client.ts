/**
 * The WebSocket client: says hello (with the last sequence number seen, so the server can replay
 * only what was missed), feeds every server frame to the store, acknowledges applied events (the
 * server stops sending past a window of unacknowledged bytes), and reconnects with backoff.
 * Commands always carry a `requestId` and live in the pending queue until answered.
 *
 * The office refuses the socket of a browser that is not signed in, and a refused socket looks
 * like any other closed one; so when a socket closes before the office said anything on it, the
 * client asks `/api/me`. Signed out, it stops reconnecting and waits for a sign-in (see
 * `signin.ts`), so a sign-in in another tab brings this one back.
 */

import type { Command, Hello, ServerFrame, StreamDelta } from "../protocol";
import type { Store } from "../store/store";
import type { ConnectionState } from "../store/state";
import type { SignInCheck } from "./auth";
import { OFFLINE_AFTER_MS, retryDelay } from "./backoff";
import { CommandError } from "./errors";
import { newId } from "./ids";
import { commandKind, PendingQueue, viewOf, type PendingCommand } from "./pending";
import { PresenceReporter } from "./presence";
import { SignInWatch } from "./signin";

interface Waiter {
  resolve(value: unknown): void;
  reject(error: CommandError): void;
}

const PING_EVERY_MS = 15_000;
/** No frame at all for this long (pongs included) means the connection is dead. */
const SILENT_LIMIT_MS = 40_000;
/** The server runs at most 32 commands per connection at once; stay well below. */
const MAX_IN_FLIGHT = 16;
/**
 * Streaming text arrives in many small frames; the store takes it at most this often, so a fast
 * agent costs a few renders a second instead of one per word.
 */
export const DELTA_BATCH_MS = 60;
/**
 * Applied events are acknowledged this long after the first unacknowledged frame, or at once when
 * this many bytes of them are waiting: the office keeps at most 512 KB in flight, and reading an
 * acknowledgement per frame would cost it as much as sending the frame.
 */
export const ACK_DELAY_MS = 100;
export const ACK_AFTER_BYTES = 64 * 1024;

export interface ClientOptions {
  url: string;
  store: Store;
  clientId: string;
  queue: PendingQueue;
  /** Asks the office whether this browser is signed in (without it, every close is retried). */
  checkSignIn?(): Promise<SignInCheck>;
  /** Failures of commands nobody is waiting for (e.g. resent after a reload). */
  onOrphanFailure?(command: Command, error: CommandError): void;
  createSocket?(url: string): WebSocket;
}

export class OfficeClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private downSince: number | null = null;
  private stopped = false;
  /** Request ids sent on the current socket (the rest wait for the next one). */
  private sent = new Set<string>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly statusListeners = new Set<() => void>();
  private deltas: StreamDelta[] = [];
  private deltaTimer: ReturnType<typeof setTimeout> | null = null;
  private ackSeq: number | null = null;
  private ackBytes = 0;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  /** The office has sent something on the current socket (so it was not refused). */
  private heard = false;
  private checking = false;
  private readonly signIn: SignInWatch;
  nextRetryAt: number | null = null;
  readonly presence: PresenceReporter;

  constructor(private readonly options: ClientOptions) {
    this.presence = new PresenceReporter(
      (frame) => this.heard && this.write(frame),
      (typing) => options.store.dispatch({ type: "typing", typing }),
    );
    this.signIn = new SignInWatch(options.checkSignIn ?? (() => Promise.resolve("unknown")), () => this.signedIn());
  }

  start(): void {
    this.stopped = false;
    this.options.queue.restore(Date.now());
    this.publishPending();
    window.addEventListener("online", this.retryNow);
    window.addEventListener("offline", this.noteOffline);
    window.addEventListener("focus", this.signIn.soon);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.flushDeltas();
    window.removeEventListener("online", this.retryNow);
    window.removeEventListener("offline", this.noteOffline);
    window.removeEventListener("focus", this.signIn.soon);
    this.clearTimers();
    this.signIn.stop();
    this.detach()?.close(1000, "leaving");
  }

  /**
   * The person signed out: close the socket, drop what this browser still meant to send (it
   * would go out under the next person's name), and wait for a sign-in like any signed-out page.
   */
  signOut(): void {
    this.flushDeltas();
    this.clearTimers();
    this.detach()?.close(1000, "signed out");
    for (const item of [...this.options.queue.all()]) {
      this.options.queue.settle(item.requestId);
      this.waiters.get(item.requestId)?.reject(new CommandError("signed_out", "you signed out before the office answered"));
      this.waiters.delete(item.requestId);
    }
    this.publishPending();
    this.enterSignedOut();
  }

  /** Send a command; resolves with its result, rejects with a `CommandError`. */
  command<T = unknown>(command: Command): Promise<T> {
    if (commandKind(command) === "query" && !this.connected()) {
      return Promise.reject(new CommandError("offline", "not connected to the office right now; try again when the connection is back"));
    }
    const item: PendingCommand = { requestId: newId("q"), command, createdAt: Date.now() };
    const promise = new Promise<T>((resolve, reject) => {
      this.waiters.set(item.requestId, { resolve: resolve as (v: unknown) => void, reject });
    });
    this.options.queue.add(item);
    if (this.connected()) this.transmit(item);
    this.publishPending();
    return promise;
  }

  /** Give up on a command that has not been sent yet (e.g. a message typed while offline). */
  cancel(requestId: string): boolean {
    if (this.sent.has(requestId)) return false;
    const item = this.options.queue.settle(requestId);
    if (item === undefined) return false;
    this.waiters.get(requestId)?.reject(new CommandError("cancelled", "cancelled"));
    this.waiters.delete(requestId);
    this.publishPending();
    return true;
  }

  /** Reconnect at once (e.g. to ask for exactly the events that were missed). */
  reconnect(): void {
    this.detach()?.close(1000, "reconnecting");
    this.clearTimers();
    this.attempt = 0;
    this.setConnection("reconnecting");
    this.connect();
  }

  retryNow = (): void => {
    if (this.signIn.waiting) {
      this.signIn.soon();
      return;
    }
    if (this.socket === null && !this.stopped && !this.checking) {
      this.clearTimers();
      this.connect();
    }
  };

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  // Connection lifecycle -----------------------------------------------------------------------

  private connected(): boolean {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN && this.options.store.getState().ui.connection === "connected";
  }

  private setConnection(state: ConnectionState): void {
    this.options.store.dispatch({ type: "connection", state });
    for (const listener of this.statusListeners) listener();
  }

  private connect(): void {
    if (this.stopped || this.signIn.waiting) return;
    this.nextRetryAt = null;
    let socket: WebSocket;
    try {
      socket = this.options.createSocket ? this.options.createSocket(this.options.url) : new WebSocket(this.options.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.heard = false;
    this.sent = new Set();
    socket.onopen = () => this.opened(socket);
    socket.onmessage = (e: MessageEvent) => this.received(socket, e.data);
    socket.onclose = () => this.closed(socket);
    socket.onerror = () => undefined; // a close event always follows
  }

  private opened(socket: WebSocket): void {
    if (socket !== this.socket) return;
    const { server } = this.options.store.getState();
    const hello: Hello = {
      type: "hello",
      clientId: this.options.clientId,
      lastSeq: server.epoch === null ? null : server.seq,
      epoch: server.epoch,
    };
    this.write(hello);
    // A replay with nothing missed sends no events: the pong says the hello was taken (it comes
    // after any replayed events, which the server always sends first).
    this.write({ type: "ping" });
    this.lastFrameAt = Date.now();
    this.pingTimer = setInterval(() => this.keepAlive(), PING_EVERY_MS);
  }

  /** The server answered hello (a welcome or a replay): now commands can flow. */
  private ready(): void {
    if (this.options.store.getState().ui.connection === "connected") return;
    this.attempt = 0;
    this.downSince = null;
    this.setConnection("connected");
    this.flush();
  }

  private flush(): void {
    for (const item of this.options.queue.all()) {
      if (this.sent.size >= MAX_IN_FLIGHT) break;
      this.transmit(item);
    }
    this.publishPending();
  }

  private closed(socket: WebSocket): void {
    if (socket !== this.socket) return;
    const refused = !this.heard;
    this.flushDeltas();
    this.detach();
    this.clearTimers();
    if (this.stopped) return;
    this.publishPending();
    if (refused && this.options.checkSignIn !== undefined) void this.checkAfterRefusal();
    else this.scheduleRetry();
  }

  /** The socket closed before the office said anything: maybe because nobody is signed in. */
  private async checkAfterRefusal(): Promise<void> {
    const check = this.options.checkSignIn;
    if (check === undefined || this.checking) return;
    this.checking = true;
    this.setConnection(this.options.store.getState().ui.connection === "connecting" ? "connecting" : "reconnecting");
    let answer: SignInCheck;
    try {
      answer = await check();
    } finally {
      this.checking = false;
    }
    if (this.stopped || this.socket !== null) return;
    if (answer === "signed_out") this.enterSignedOut();
    else this.scheduleRetry();
  }

  private enterSignedOut(): void {
    this.presence.stopTyping();
    this.downSince = null;
    this.attempt = 0;
    this.nextRetryAt = null;
    this.options.store.dispatch({ type: "auth", state: "signed_out" });
    this.setConnection("offline");
    this.signIn.start();
  }

  /** Signed in meanwhile (e.g. in another tab): connect as a fresh page would. */
  private signedIn(): void {
    if (this.stopped) return;
    this.options.store.dispatch({ type: "auth", state: "unknown" });
    this.setConnection("connecting");
    this.connect();
  }

  /** The person asked to check again whether this browser is signed in. */
  checkNow = (): void => this.signIn.now();

  private acknowledge(seq: number, bytes: number): void {
    this.ackSeq = seq;
    this.ackBytes += bytes;
    if (this.ackBytes >= ACK_AFTER_BYTES) this.sendAck();
    else this.ackTimer ??= setTimeout(() => this.sendAck(), ACK_DELAY_MS);
  }

  private sendAck(): void {
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    if (this.ackSeq !== null) this.write({ type: "ack", seq: this.ackSeq });
    this.ackSeq = null;
    this.ackBytes = 0;
  }

  /** Forget what the last socket had not acknowledged: a new connection starts its own count. */
  private dropAck(): void {
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.ackSeq = null;
    this.ackBytes = 0;
  }

  private detach(): WebSocket | null {
    this.dropAck();
    const socket = this.socket;
    if (socket !== null) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
    }
    this.socket = null;
    this.sent = new Set();
    return socket;
  }

  private scheduleRetry(): void {
    const now = Date.now();
    this.downSince ??= now;
    const offline = (typeof navigator !== "undefined" && navigator.onLine === false) || now - this.downSince > OFFLINE_AFTER_MS;
    this.setConnection(offline ? "offline" : "reconnecting");
    const delay = retryDelay(this.attempt, Math.random());
    this.attempt += 1;
    this.nextRetryAt = now + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    for (const listener of this.statusListeners) listener();
  }

  private noteOffline = (): void => {
    if (this.socket === null && !this.signIn.waiting) this.setConnection("offline");
  };

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
  }

  private keepAlive(): void {
    const socket = this.socket;
    if (socket === null) return;
    if (Date.now() - this.lastFrameAt > SILENT_LIMIT_MS) {
      // A half-open connection never reports its own death: treat silence as a close.
      this.detach();
      socket.close(4000, "no answer");
      this.clearTimers();
      this.scheduleRetry();
      return;
    }
    this.write({ type: "ping" });
  }

  private write(frame: object): boolean {
    const socket = this.socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private transmit(item: PendingCommand): void {
    if (this.sent.has(item.requestId) || this.sent.size >= MAX_IN_FLIGHT) return;
    if (this.write({ type: "command", requestId: item.requestId, command: item.command })) this.sent.add(item.requestId);
  }

  // Incoming frames ------------------------------------------------------------------------------

  private received(socket: WebSocket, data: unknown): void {
    if (socket !== this.socket || typeof data !== "string") return;
    this.lastFrameAt = Date.now();
    if (!this.heard) {
      this.heard = true;
      // Only now is the hello surely taken, so presence may follow it.
      this.presence.resend();
    }
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    const store = this.options.store;
    if (frame.type === "welcome") this.flushDeltas();
    switch (frame.type) {
      case "welcome":
        store.dispatch({ type: "welcome", snapshot: frame.snapshot });
        this.ready();
        break;
      case "events": {
        // Streamed text comes first: an event in the same frame may end the block it belongs to.
        this.deltas.push(...frame.deltas);
        const first = frame.items[0];
        const last = frame.items[frame.items.length - 1];
        if (first === undefined || last === undefined) {
          if (this.deltas.length > 0) this.deltaTimer ??= setTimeout(() => this.flushDeltas(), DELTA_BATCH_MS);
          break;
        }
        this.flushDeltas();
        const { seq, epoch } = store.getState().server;
        if (epoch !== null && first.seq > seq + 1) {
          // A gap: something was missed. Reconnecting asks for exactly what is missing.
          this.reconnect();
          return;
        }
        store.dispatch({ type: "events", items: frame.items });
        this.acknowledge(last.seq, data.length);
        this.ready();
        break;
      }
      case "result":
        this.answer(frame.requestId, null, frame.result);
        break;
      case "failure":
        this.answer(frame.requestId, new CommandError(frame.error.code, frame.error.message), undefined);
        break;
      case "pong":
        this.ready();
        break;
      case "identity":
        store.dispatch({ type: "identity", identity: frame });
        break;
      case "presence":
        store.dispatch({ type: "presence", people: frame.people });
        break;
    }
  }

  /** Hand buffered stream text to the store (always before events, which may complete a block). */
  private flushDeltas(): void {
    if (this.deltaTimer !== null) clearTimeout(this.deltaTimer);
    this.deltaTimer = null;
    if (this.deltas.length === 0) return;
    const deltas = this.deltas;
    this.deltas = [];
    this.options.store.dispatch({ type: "deltas", deltas });
  }

  private answer(requestId: string, error: CommandError | null, result: unknown): void {
    const item = this.options.queue.settle(requestId);
    this.sent.delete(requestId);
    const waiter = this.waiters.get(requestId);
    this.waiters.delete(requestId);
    if (waiter !== undefined) {
      if (error === null) waiter.resolve(result);
      else waiter.reject(error);
    } else if (error !== null && item !== undefined) {
      this.options.onOrphanFailure?.(item.command, error);
    }
    if (item !== undefined && this.connected()) this.flush();
    else if (item !== undefined) this.publishPending();
  }

  private publishPending(): void {
    const views = this.options.queue.all().map((item) => viewOf(item, this.sent.has(item.requestId)));
    this.options.store.dispatch({ type: "pending", pending: views });
  }
}
