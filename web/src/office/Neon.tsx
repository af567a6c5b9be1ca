/** The neon "isomux" sign: tube letters drawn as strokes, a soft glow and an occasional flicker. */

import type { ReactElement } from "react";
import { WALL_ITEMS, wallItemTransform, wallItemWidth } from "./geometry";
import type { Palette } from "./theme";
import { buttonProps } from "./WallDecor";

/** Lowercase tube letters on a baseline at y = 20 with the x-height at y = 8.5. */
const LETTERS: readonly { d: string; x: number; className?: string }[] = [
  { d: "M1 9.5 V20 M1 3.6 V3.9", x: 0 },
  { d: "M10 10.2 C8 7.6 1.6 7.6 1.6 11 C1.6 14.5 10 13.6 10 17 C10 21 2.6 21 0.6 18.4", x: 6.5 },
  { d: "M0 14.2 A5.5 5.9 0 1 0 11 14.2 A5.5 5.9 0 1 0 0 14.2", x: 21.5 },
  { d: "M0 20 V9 M0 13 C0 7.6 7 7.6 7 13 V20 M7 13 C7 7.6 14 7.6 14 13 V20", x: 37 },
  { d: "M0 8.6 V15 C0 21 9.5 21 9.5 15 M9.5 8.6 V20", x: 55.5 },
  { d: "M0 8.6 L9.5 20 M9.5 8.6 L0 20", x: 69.5, className: "neon-x" },
];
const WORD_WIDTH = 79;

export function NeonSign({ pal, hue, onClick }: { pal: Palette; hue: number; onClick(): void }): ReactElement {
  const item = WALL_ITEMS.neon;
  const w = wallItemWidth(item);
  const h = item.top - item.bottom;
  const scale = (w - 26) / WORD_WIDTH;
  const tube = `hsl(${hue} 100% ${pal.dark ? 66 : 60}%)`;
  const core = `hsl(${hue} 100% 92%)`;
  const haloId = `office-neon-halo-${Math.round(hue)}-${pal.dark ? "night" : "day"}`;
  const word = (
    <g transform={`translate(13 ${(h - 21 * scale) / 2 - 1}) scale(${scale})`} fill="none" strokeLinecap="round" strokeLinejoin="round">
      {LETTERS.map((l) => (
        <path key={l.x} className={l.className} d={l.d} transform={`translate(${l.x} 0)`} />
      ))}
    </g>
  );
  return (
    <g transform={wallItemTransform(item)} {...buttonProps("isomux neon sign", onClick, "neon")}>
      <defs>
        <radialGradient id={haloId}>
          <stop offset="0" stopColor={tube} stopOpacity={pal.dark ? 0.45 : 0.14} />
          <stop offset="1" stopColor={tube} stopOpacity="0" />
        </radialGradient>
      </defs>
      <g className="neon-flicker">
        <ellipse cx={w / 2} cy={h / 2} rx={w * 0.75} ry={h * 1.05} fill={`url(#${haloId})`} />
      </g>
      <rect x="2" y="4" width={w - 4} height={h - 8} rx="8" fill="#ffffff" opacity={pal.dark ? 0.06 : 0.22} stroke="#ffffff" strokeOpacity="0.5" />
      {[
        [8, 9],
        [w - 8, 9],
        [8, h - 9],
        [w - 8, h - 9],
      ].map(([x, y]) => (
        <circle key={`${x},${y}`} cx={x} cy={y} r="1.6" fill="#c9ccd8" />
      ))}
      <g className="neon-flicker">
        <g stroke={tube} strokeWidth="4.6" filter="url(#office-neon-blur)" opacity="0.9">
          {word}
        </g>
        <g stroke={tube} strokeWidth="2.6">
          {word}
        </g>
        <g stroke={core} strokeWidth="0.9">
          {word}
        </g>
      </g>
    </g>
  );
}
