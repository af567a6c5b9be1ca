/**
 * Pointer interaction for desks: click opens an agent, dragging moves it to another desk or
 * through a door, right-click or a 500 ms long-press opens its menu, Enter opens it from the
 * keyboard. The ghost follows the pointer by direct DOM updates, so a drag re-renders React only
 * when the drop target changes.
 */

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type RefObject } from "react";
import type { DeskHandlers } from "./Desk";
import { dropTargetAt, type DropTarget, type Point } from "./geometry";
import type { SceneProps } from "./types";

const LONG_PRESS_MS = 500;
const DRAG_THRESHOLD_MOUSE = 5;
const DRAG_THRESHOLD_TOUCH = 10;

export interface DragInfo {
  agentId: string;
  fromDesk: number;
  /** Where the ghost first appears, in scene coordinates; later moves update the DOM directly. */
  at: Point;
}

interface Pending {
  agentId: string;
  desk: number;
  pointerId: number;
  startX: number;
  startY: number;
  touch: boolean;
  timer: number | null;
  /** A long-press already opened the menu; the release must not also open the agent. */
  consumed: boolean;
  dragging: boolean;
  target: DropTarget | null;
}

/** Whether a drop would change anything; doors without a room are not targets. */
export function effectiveTarget(target: DropTarget | null, fromDesk: number, props: Pick<SceneProps, "prevRoom" | "nextRoom">): DropTarget | null {
  if (target === null) return null;
  if (target.kind === "desk") return target.desk === fromDesk ? null : target;
  const room = target.side === "prev" ? props.prevRoom : props.nextRoom;
  return room === null ? null : target;
}

export function useDeskDrag(svgRef: RefObject<SVGSVGElement | null>, latest: RefObject<SceneProps>) {
  const [drag, setDrag] = useState<DragInfo | null>(null);
  const [hover, setHover] = useState<DropTarget | null>(null);
  const ghostRef = useRef<SVGGElement | null>(null);
  const pending = useRef<Pending | null>(null);
  const lastLongPress = useRef(0);

  const toSvg = useCallback(
    (clientX: number, clientY: number): Point | null => {
      const svg = svgRef.current;
      const matrix = svg?.getScreenCTM();
      if (!svg || !matrix) return null;
      const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
      return { x: p.x, y: p.y };
    },
    [svgRef],
  );

  const finish = useCallback(() => {
    const p = pending.current;
    if (p?.timer != null) window.clearTimeout(p.timer);
    pending.current = null;
    setDrag(null);
    setHover(null);
  }, []);

  const onMove = useCallback(
    (e: globalThis.PointerEvent) => {
      const p = pending.current;
      if (!p || e.pointerId !== p.pointerId) return;
      const distance = Math.hypot(e.clientX - p.startX, e.clientY - p.startY);
      if (!p.dragging) {
        if (p.consumed || distance < (p.touch ? DRAG_THRESHOLD_TOUCH : DRAG_THRESHOLD_MOUSE)) return;
        const start = toSvg(e.clientX, e.clientY);
        if (!start) return;
        p.dragging = true;
        if (p.timer != null) window.clearTimeout(p.timer);
        p.timer = null;
        setDrag({ agentId: p.agentId, fromDesk: p.desk, at: start });
      }
      e.preventDefault();
      const point = toSvg(e.clientX, e.clientY);
      if (!point) return;
      ghostRef.current?.setAttribute("transform", `translate(${point.x} ${point.y})`);
      const target = effectiveTarget(dropTargetAt(point), p.desk, latest.current);
      if (!sameTarget(target, p.target)) {
        p.target = target;
        setHover(target);
      }
    },
    [latest, toSvg],
  );

  const onUp = useCallback(
    (e: globalThis.PointerEvent) => {
      const p = pending.current;
      if (!p || e.pointerId !== p.pointerId) return;
      const props = latest.current;
      if (p.dragging) {
        const target = p.target;
        if (target?.kind === "desk") props.onSwapDesks(p.desk, target.desk);
        else if (target?.kind === "door") props.onDropOnDoor(p.agentId, target.side);
      } else if (!p.consumed && e.type === "pointerup") {
        props.onAgent(p.agentId);
      }
      finish();
    },
    [finish, latest],
  );

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === "Escape" && pending.current?.dragging) finish();
    };
    window.addEventListener("pointermove", onMove, { passive: false });
    window.addEventListener("pointerup", onUp);
    window.addEventListener("pointercancel", onUp);
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      window.removeEventListener("pointercancel", onUp);
      window.removeEventListener("keydown", onKey);
    };
  }, [finish, onMove, onUp]);

  useEffect(() => finish, [finish]);

  const handlers = useMemo<DeskHandlers>(
    () => ({
      pointerDown(e: PointerEvent<SVGGElement>, desk: number, agentId: string | null) {
        if (agentId === null || e.button !== 0 || pending.current) return;
        const touch = e.pointerType !== "mouse";
        const p: Pending = {
          agentId,
          desk,
          pointerId: e.pointerId,
          startX: e.clientX,
          startY: e.clientY,
          touch,
          timer: null,
          consumed: false,
          dragging: false,
          target: null,
        };
        if (touch) {
          const { pageX, pageY } = e;
          p.timer = window.setTimeout(() => {
            p.timer = null;
            if (p.dragging) return;
            p.consumed = true;
            lastLongPress.current = Date.now();
            latest.current.onAgentMenu(agentId, pageX, pageY);
          }, LONG_PRESS_MS);
        }
        pending.current = p;
      },
      keyDown(e: KeyboardEvent<SVGGElement>, desk: number, agentId: string | null) {
        const props = latest.current;
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          if (agentId === null) props.onEmptyDesk(desk);
          else props.onAgent(agentId);
        } else if (agentId !== null && (e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey))) {
          e.preventDefault();
          const box = e.currentTarget.getBoundingClientRect();
          props.onAgentMenu(agentId, box.left + box.width / 2 + window.scrollX, box.top + box.height / 2 + window.scrollY);
        }
      },
      contextMenu(e: MouseEvent<SVGGElement>, agentId: string) {
        e.preventDefault();
        // Touch browsers also fire contextmenu on a long press, which already opened the menu.
        if (Date.now() - lastLongPress.current < 1500) return;
        if (pending.current && !pending.current.dragging) {
          if (pending.current.timer != null) window.clearTimeout(pending.current.timer);
          pending.current = null;
        }
        latest.current.onAgentMenu(agentId, e.pageX, e.pageY);
      },
      emptyClick(desk: number) {
        latest.current.onEmptyDesk(desk);
      },
    }),
    [latest],
  );

  return { handlers, drag, hover, ghostRef };
}

function sameTarget(a: DropTarget | null, b: DropTarget | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === "desk" && b.kind === "desk") return a.desk === b.desk;
  if (a.kind === "door" && b.kind === "door") return a.side === b.side;
  return false;
}
