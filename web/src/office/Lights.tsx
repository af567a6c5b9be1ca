/** A string of fairy lights along the top of both walls; by night the bulbs glow and twinkle. */

import { memo, type ReactElement } from "react";
import { ROOM_U, ROOM_V, UNIT, WALL_HEIGHT, wallTransform, type Wall } from "./geometry";
import type { Palette } from "./theme";

const BULB_COLORS = ["#ffd36b", "#ff8fb1", "#7fe0d0", "#ffab5e"] as const;
const HOOK_Y = 7;
const SAG = 9;
const SPAN = 78;
const BULBS_PER_SPAN = 4;

function Strand({ wall, length, pal }: { wall: Wall; length: number; pal: Palette }): ReactElement {
  const width = length * UNIT - 10;
  const spans = Math.max(1, Math.round(width / SPAN));
  const step = width / spans;
  let wire = `M5 ${HOOK_Y}`;
  const bulbs: ReactElement[] = [];
  for (let i = 0; i < spans; i++) {
    const x0 = 5 + i * step;
    wire += ` Q${x0 + step / 2} ${HOOK_Y + 2 * SAG} ${x0 + step} ${HOOK_Y}`;
    for (let k = 1; k <= BULBS_PER_SPAN; k++) {
      const t = k / (BULBS_PER_SPAN + 1);
      // A point on the quadratic sag between two hooks.
      const x = x0 + step * t;
      const y = HOOK_Y + 2 * SAG * t * (1 - t) * 2;
      const n = i * BULBS_PER_SPAN + k;
      const color = BULB_COLORS[n % BULB_COLORS.length] ?? "#ffd36b";
      bulbs.push(
        <g key={n} transform={`translate(${x.toFixed(1)} ${y.toFixed(1)})`}>
          {pal.dark && <circle className={`bulb-glow bulb-glow-${n % 3}`} r="8" fill={`url(#office-bulb-${n % BULB_COLORS.length})`} />}
          <rect x="-1.3" y="-1" width="2.6" height="2.2" rx="0.6" fill="#5b5f70" />
          <ellipse cy="3.4" rx="2.2" ry="3" fill={color} opacity={pal.dark ? 1 : 0.9} />
        </g>,
      );
    }
  }
  const transform = wall === "left" ? wallTransform("left", ROOM_V, WALL_HEIGHT) : wallTransform("right", 0, WALL_HEIGHT);
  return (
    <g transform={transform}>
      <path d={wire} fill="none" stroke="#5b5f70" strokeWidth="0.9" opacity="0.8" />
      {bulbs}
    </g>
  );
}

function FairyLightsImpl({ pal }: { pal: Palette }): ReactElement {
  return (
    <g className="fairy-lights" aria-hidden="true">
      <defs>
        {BULB_COLORS.map((color, i) => (
          <radialGradient key={color} id={`office-bulb-${i}`}>
            <stop offset="0" stopColor={color} stopOpacity="0.75" />
            <stop offset="1" stopColor={color} stopOpacity="0" />
          </radialGradient>
        ))}
      </defs>
      <Strand wall="left" length={ROOM_V} pal={pal} />
      <Strand wall="right" length={ROOM_U} pal={pal} />
    </g>
  );
}

export const FairyLights = memo(FairyLightsImpl);
