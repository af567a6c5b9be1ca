/**
 * Shared gradients, patterns and filters. Ids carry the theme, so two scenes on one page (day
 * and night side by side) never resolve each other's paint; same-theme duplicates are identical.
 */

import type { ReactElement } from "react";
import { shade } from "./color";
import { SCREEN, type Palette } from "./theme";

function paintId(name: string, pal: Palette): string {
  return `office-${name}-${pal.dark ? "night" : "day"}`;
}

export function paintUrl(name: string, pal: Palette): string {
  return `url(#${paintId(name, pal)})`;
}

export function SceneDefs({ pal }: { pal: Palette }): ReactElement {
  const id = (name: string) => paintId(name, pal);
  return (
    <defs>
      <linearGradient id={id("backdrop")} x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stopColor={pal.backdropTop} />
        <stop offset="1" stopColor={pal.backdropBottom} />
      </linearGradient>
      <radialGradient id={id("floor-shadow")}>
        <stop offset="0.55" stopColor="#000000" stopOpacity={pal.dark ? 0.35 : 0.12} />
        <stop offset="1" stopColor="#000000" stopOpacity="0" />
      </radialGradient>
      <linearGradient id={id("ao-v")} x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stopColor="#000000" stopOpacity={pal.dark ? 0.35 : 0.16} />
        <stop offset="1" stopColor="#000000" stopOpacity="0" />
      </linearGradient>
      <linearGradient id={id("ao-u")} x1="0" y1="0" x2="1" y2="0">
        <stop offset="0" stopColor="#000000" stopOpacity={pal.dark ? 0.35 : 0.16} />
        <stop offset="1" stopColor="#000000" stopOpacity="0" />
      </linearGradient>
      <linearGradient id={id("corner-shade")} x1="0" y1="0" x2="1" y2="0">
        <stop offset="0" stopColor="#000000" stopOpacity="0" />
        <stop offset="1" stopColor="#000000" stopOpacity="0.1" />
      </linearGradient>
      {(["left", "right"] as const).map((wall) => (
        <pattern key={wall} id={id(`wallpaper-${wall}`)} width="24" height="24" patternUnits="userSpaceOnUse">
          <circle cx="6" cy="6" r="1.6" fill={shade(pal.wallpaperDot, wall === "left" ? -0.04 : 0)} opacity="0.7" />
          <path d="M18 15.5 l2.5 2.5 l-2.5 2.5 l-2.5 -2.5 Z" fill={pal.wallpaperDot} opacity="0.45" />
        </pattern>
      ))}
      <linearGradient id={id("sky")} x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stopColor={pal.sky} />
        <stop offset="1" stopColor={pal.skyLow} />
      </linearGradient>
      <radialGradient id={id("window-light")}>
        <stop offset="0" stopColor={pal.dark ? "#9fb4ff" : "#fff6d8"} stopOpacity={pal.dark ? 0.12 : 0.55} />
        <stop offset="1" stopColor={pal.dark ? "#9fb4ff" : "#fff6d8"} stopOpacity="0" />
      </radialGradient>
      {(["working", "waiting", "error"] as const).map((glow) => (
        <radialGradient key={glow} id={`office-glow-${glow}`}>
          <stop offset="0" stopColor={SCREEN[glow].glow} stopOpacity="0.55" />
          <stop offset="0.55" stopColor={SCREEN[glow].glow} stopOpacity="0.2" />
          <stop offset="1" stopColor={SCREEN[glow].glow} stopOpacity="0" />
        </radialGradient>
      ))}
      <radialGradient id="office-lamp-glow">
        <stop offset="0" stopColor="#fff1b8" stopOpacity="0.9" />
        <stop offset="0.4" stopColor="#ffd36b" stopOpacity="0.35" />
        <stop offset="1" stopColor="#ffd36b" stopOpacity="0" />
      </radialGradient>
      <filter id="office-neon-blur" x="-30%" y="-60%" width="160%" height="220%">
        <feGaussianBlur stdDeviation="3.2" />
      </filter>
    </defs>
  );
}
