/** Outfit palettes, option lists and a random outfit picker (also used by the spawn dialog's preview). */

import type { Accessory, Beard, HairStyle, Hat, Outfit } from "./types";

export const SHIRT_COLORS: readonly string[] = [
  "#ef6f6c", // coral
  "#f2b134", // mustard
  "#2a9d8f", // teal
  "#4d8fe8", // sky
  "#9b7bd4", // lavender
  "#6cc5a0", // mint
  "#e87ea1", // rose
  "#3f4d80", // navy
  "#e58a4e", // tangerine
  "#8a9a5b", // olive
];

export const HAIR_COLORS: readonly string[] = [
  "#2b2320", // black
  "#4a3125", // dark brown
  "#7a4a2b", // chestnut
  "#a3452c", // auburn
  "#e2b35f", // blonde
  "#d9772f", // ginger
  "#b3aca6", // silver
  "#e58fb2", // pink
];

export const SKIN_TONES: readonly string[] = ["#ffe0c7", "#f3c69d", "#d79e70", "#a86b44", "#6e4428"];

export const HATS: readonly Hat[] = ["none", "cap", "beanie", "bow", "headband", "crown"];
export const HAIR_STYLES: readonly HairStyle[] = ["short", "long", "ponytail", "bun", "pigtails", "curly", "bald"];
export const BEARDS: readonly Beard[] = ["none", "stubble", "full", "goatee", "mustache"];
export const ACCESSORIES: readonly Accessory[] = ["none", "glasses", "headphones", "bowtie", "tie", "earrings"];

/** A number in [0, 1); `Math.random` fits. */
export type Rng = () => number;

function pick<T>(items: readonly T[], rng: Rng): T {
  const item = items[Math.min(items.length - 1, Math.floor(rng() * items.length))];
  if (item === undefined) throw new RangeError("cannot pick from an empty list");
  return item;
}

/** Plain looks are more common than hats and beards, so a random office does not look like a costume party. */
function pickWeighted<T>(plain: T, others: readonly T[], plainShare: number, rng: Rng): T {
  return rng() < plainShare ? plain : pick(others, rng);
}

export function randomOutfit(rng: Rng = Math.random): Outfit {
  return {
    hat: pickWeighted<Hat>("none", HATS.slice(1), 0.55, rng),
    shirt: pick(SHIRT_COLORS, rng),
    hair: pick(HAIR_COLORS, rng),
    hairStyle: pick(HAIR_STYLES, rng),
    skin: pick(SKIN_TONES, rng),
    beard: pickWeighted<Beard>("none", BEARDS.slice(1), 0.65, rng),
    accessory: pickWeighted<Accessory>("none", ACCESSORIES.slice(1), 0.45, rng),
  };
}

/** A small deterministic generator, handy for previews and tests. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}
