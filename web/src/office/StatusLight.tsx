/** The little status lamp on nametags: colour by state, escalating while work drags on. */

import type { ReactElement } from "react";
import { LIGHT_HEX, lightColor, lightPulses, type LightColor } from "./status";
import type { AgentState } from "./types";

interface StatusLightProps {
  color: LightColor;
  pulses: boolean;
  x?: number;
  y?: number;
  r?: number;
}

/** An SVG group, for use inside the scene. */
export function StatusLight({ color, pulses, x = 0, y = 0, r = 4.2 }: StatusLightProps): ReactElement {
  const hex = LIGHT_HEX[color];
  return (
    <g transform={`translate(${x} ${y})`} className={`status-light status-light--${color}`}>
      {pulses && <circle className="status-halo" r={r * 1.9} fill={hex} />}
      <circle r={r} fill={hex} stroke="#ffffff" strokeOpacity="0.75" strokeWidth="1" />
      <circle cx={-r * 0.32} cy={-r * 0.32} r={r * 0.36} fill="#ffffff" opacity="0.6" />
    </g>
  );
}

interface StatusDotProps {
  state: AgentState;
  /** How long the agent has been in `state`, in ms. */
  elapsedMs: number;
  size?: number;
}

/** A standalone light in its own `<svg>`, for HTML contexts such as lists and headers. */
export function StatusDot({ state, elapsedMs, size = 12 }: StatusDotProps): ReactElement {
  const color = lightColor(state, elapsedMs);
  return (
    <svg className="office-status-dot" viewBox="-10 -10 20 20" width={size} height={size} aria-hidden="true">
      <StatusLight color={color} pulses={lightPulses(state)} r={5} />
    </svg>
  );
}
