/**
 * Scene colours for day and night. Night colours are the day ones pulled towards a deep blue, so
 * the room keeps its character after dark; light sources (screens, lamps, neon) stay bright.
 * Faces follow one lighting rule: tops are lightest, faces towards the lower left (+v) a little
 * darker, faces towards the lower right (+u) darkest.
 */

import { mix } from "./color";

export interface Palette {
  dark: boolean;
  backdropTop: string;
  backdropBottom: string;
  wallRight: string;
  wallLeft: string;
  wallpaperDot: string;
  wainscotRight: string;
  wainscotLeft: string;
  rail: string;
  skirting: string;
  wallCap: string;
  wallEdge: string;
  floor: string;
  floorLine: string;
  floorSideLeft: string;
  floorSideRight: string;
  rug: string;
  rugBorder: string;
  rugPattern: string;
  deskTop: string;
  deskFront: string;
  deskSide: string;
  deskEdge: string;
  chair: string;
  metal: string;
  bezel: string;
  paper: string;
  ink: string;
  cork: string;
  frame: string;
  plantLeaf: string;
  plantLeafDark: string;
  pot: string;
  shadow: string;
  labelBg: string;
  labelText: string;
  labelMuted: string;
  ghost: string;
  lampGlow: string;
  sky: string;
  skyLow: string;
}

const NIGHT = "#18204a";

const DAY: Palette = {
  dark: false,
  backdropTop: "#fdf3e7",
  backdropBottom: "#f3ddc8",
  wallRight: "#fbeedd",
  wallLeft: "#f0dcc4",
  wallpaperDot: "#e9c9a6",
  wainscotRight: "#a9c4a2",
  wainscotLeft: "#93b08c",
  rail: "#fff8ee",
  skirting: "#6f8d6a",
  wallCap: "#fffaf2",
  wallEdge: "#e2c9ab",
  floor: "#dcaa73",
  floorLine: "#c08c57",
  floorSideLeft: "#b07a4b",
  floorSideRight: "#94633b",
  rug: "#d9775c",
  rugBorder: "#f4e1c1",
  rugPattern: "#b95d45",
  deskTop: "#f3d7ad",
  deskFront: "#d9ad7b",
  deskSide: "#c29463",
  deskEdge: "#fbe7c8",
  chair: "#505a78",
  metal: "#8d93a5",
  bezel: "#30354a",
  paper: "#fffdf6",
  ink: "#4b4a58",
  cork: "#c8935a",
  frame: "#8a5a36",
  plantLeaf: "#5fae6a",
  plantLeafDark: "#3f8a52",
  pot: "#e0876a",
  shadow: "rgba(90, 50, 20, 0.18)",
  labelBg: "rgba(43, 38, 56, 0.86)",
  labelText: "#fffaf2",
  labelMuted: "#6b5a4c",
  ghost: "#b98b5e",
  lampGlow: "#ffd98a",
  sky: "#8fd0ff",
  skyLow: "#d8f1ff",
};

const LIGHTS: ReadonlySet<keyof Palette> = new Set(["labelBg", "labelText", "lampGlow", "dark"]);
/** Wood keeps more of its warmth at night than walls do: the room should feel cozy, not grey. */
const WARM: ReadonlySet<keyof Palette> = new Set(["floor", "floorLine", "deskTop", "deskFront", "deskSide", "deskEdge", "rug", "rugBorder", "rugPattern", "frame", "cork"]);

function toNight(day: Palette): Palette {
  const night = { ...day };
  for (const key of Object.keys(day) as (keyof Palette)[]) {
    const value = day[key];
    if (typeof value === "string" && value.startsWith("#") && !LIGHTS.has(key)) {
      (night as Record<keyof Palette, string | boolean>)[key] = mix(value, NIGHT, WARM.has(key) ? 0.5 : 0.58);
    }
  }
  return {
    ...night,
    dark: true,
    backdropTop: "#161b33",
    backdropBottom: "#0c1022",
    shadow: "rgba(0, 0, 10, 0.35)",
    labelBg: "rgba(16, 18, 34, 0.88)",
    labelMuted: "#b8b4cc",
    paper: mix(day.paper, NIGHT, 0.4),
    sky: "#1b2452",
    skyLow: "#34336b",
  };
}

const NIGHT_PALETTE = toNight(DAY);

export function palette(dark: boolean): Palette {
  return dark ? NIGHT_PALETTE : DAY;
}

/** Colours painted on objects (post-its, books) dim at night like everything else that is not a light. */
export function tint(color: string, pal: Palette): string {
  return pal.dark ? mix(color, NIGHT, 0.45) : color;
}

/** Screen colours by monitor glow. */
export const SCREEN = {
  working: { glow: "#50c878", face: "#1f5e3a", line: "#b6f5c8" },
  waiting: { glow: "#a46be8", face: "#432a6e", line: "#e2ccff" },
  error: { glow: "#ef5b73", face: "#6b2030", line: "#ffd0d8" },
  idle: { glow: "#2a2f45", face: "#1d2132", line: "#3c4260" },
} as const;

/** Nametag accent by model family. */
export const MODEL_ACCENT = {
  opus: "#6fa8ff",
  sonnet: "#f2c14e",
  haiku: "#f39ac0",
  other: "#a9b0c2",
} as const;
