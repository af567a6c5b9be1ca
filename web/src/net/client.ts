/**
 * The WebSocket client: says hello (with the last sequence number seen, so the server can replay
 * only what was missed), feeds every server frame to the store, acknowledges applied events (the
 * server stops sending past a window of unacknowledged bytes), and reconnects with backoff.
 * Commands always carry a `requestId` and live in the pending queue until answered.
 */

import type { Command, ServerFrame, StreamDelta } from "../protocol";
import type { Store } from "../store/store";
import type { Identity } from "../store/storage";
import type { ConnectionState } from "../store/state";
import { OFFLINE_AFTER_MS, retryDelay } from "./backoff";
import { CommandError } from "./errors";
import { newId } from "./ids";
import { commandKind, PendingQueue, viewOf, type PendingCommand } from "./pending";

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

export interface ClientOptions {
  url: string;
  store: Store;
  clientId: string;
  queue: PendingQueue;
  identity(): Identity;
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
  nextRetryAt: number | null = null;

  constructor(private readonly options: ClientOptions) {}

  start(): void {
    this.stopped = false;
    this.options.queue.restore(Date.now());
    this.publishPending();
    window.addEventListener("online", this.retryNow);
    window.addEventListener("offline", this.noteOffline);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.flushDeltas();
    window.removeEventListener("online", this.retryNow);
    window.removeEventListener("offline", this.noteOffline);
    this.clearTimers();
    this.detach()?.close(1000, "leaving");
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

  /** Reconnect at once (e.g. after changing the name this browser reports). */
  reconnect(): void {
    this.detach()?.close(1000, "reconnecting");
    this.clearTimers();
    this.attempt = 0;
    this.setConnection("reconnecting");
    this.connect();
  }

  retryNow = (): void => {
    if (this.socket === null && !this.stopped) {
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
    if (this.stopped) return;
    this.nextRetryAt = null;
    let socket: WebSocket;
    try {
      socket = this.options.createSocket ? this.options.createSocket(this.options.url) : new WebSocket(this.options.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.sent = new Set();
    socket.onopen = () => this.opened(socket);
    socket.onmessage = (e: MessageEvent) => this.received(socket, e.data);
    socket.onclose = () => this.closed(socket);
    socket.onerror = () => undefined; // a close event always follows
  }

  private opened(socket: WebSocket): void {
    if (socket !== this.socket) return;
    const { server } = this.options.store.getState();
    const who = this.options.identity();
    this.write({
      type: "hello",
      clientId: this.options.clientId,
      lastSeq: server.epoch === null ? null : server.seq,
      epoch: server.epoch,
      name: who.name.slice(0, 40) || null,
      device: who.device.slice(0, 40) || null,
    });
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
    this.flushDeltas();
    this.detach();
    this.clearTimers();
    if (this.stopped) return;
    this.publishPending();
    this.scheduleRetry();
  }

  private detach(): WebSocket | null {
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
    if (this.socket === null) this.setConnection("offline");
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
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    const store = this.options.store;
    if (frame.type === "welcome" || frame.type === "events") this.flushDeltas();
    switch (frame.type) {
      case "welcome":
        store.dispatch({ type: "welcome", snapshot: frame.snapshot });
        this.ready();
        break;
      case "events": {
        const first = frame.items[0];
        const last = frame.items[frame.items.length - 1];
        if (first === undefined || last === undefined) break;
        const { seq, epoch } = store.getState().server;
        if (epoch !== null && first.seq > seq + 1) {
          // A gap: something was missed. Reconnecting asks for exactly what is missing.
          this.reconnect();
          return;
        }
        store.dispatch({ type: "events", items: frame.items });
        this.write({ type: "ack", seq: last.seq });
        this.ready();
        break;
      }
      case "deltas":
        this.deltas.push(...frame.deltas);
        this.deltaTimer ??= setTimeout(() => this.flushDeltas(), DELTA_BATCH_MS);
        break;
      case "result":
        this.answer(frame.requestId, null, frame.result);
        break;
      case "failure":
        this.answer(frame.requestId, new CommandError(frame.error.code, frame.error.message), undefined);
        break;
      case "pong":
        this.ready();
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
