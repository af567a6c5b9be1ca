/**
 * Keyboard access to the desks. Desks must be drawn in painter's order, which is not their
 * number order, so focus goes to this invisible layer instead: one focusable stand-in per desk,
 * in desk order, carrying the accessible label and showing a ring while focused.
 */

import type { ReactElement } from "react";
import type { DeskHandlers } from "./Desk";
import { DESK_BOX, DESK_SLOTS, deskAnchor } from "./geometry";
import { deskAriaLabel, deskNumber } from "./status";
import type { DeskAgent } from "./types";

interface FocusLayerProps {
  byDesk: ReadonlyMap<number, DeskAgent>;
  now: number;
  handlers: DeskHandlers;
}

export function FocusLayer({ byDesk, now, handlers }: FocusLayerProps): ReactElement {
  return (
    <g className="office-focus-layer">
      {DESK_SLOTS.map(({ index }) => {
        const agent = byDesk.get(index);
        const a = deskAnchor(index);
        const label = agent ? deskAriaLabel(agent, now) : `Empty desk ${deskNumber(index)}: add an agent`;
        return (
          <g
            key={index}
            className="desk-focus"
            role="button"
            tabIndex={0}
            aria-label={label}
            data-focus-desk={index}
            transform={`translate(${a.x} ${a.y})`}
            onKeyDown={(e) => handlers.keyDown(e, index, agent?.id ?? null)}
          >
            <rect
              className="desk-focus-ring"
              x={DESK_BOX.x + 4}
              y={DESK_BOX.y + 4}
              width={DESK_BOX.width - 8}
              height={DESK_BOX.height - 8}
              rx="20"
            />
          </g>
        );
      })}
    </g>
  );
}
