import { describe, expect, it } from "vitest";
import { mix, safeHex, shade } from "./color";
import { ACCESSORIES, BEARDS, HAIR_COLORS, HAIR_STYLES, HATS, randomOutfit, seededRng, SHIRT_COLORS, SKIN_TONES } from "./outfits";

const HEX = /^#[0-9a-f]{6}$/;

describe("palettes", () => {
  it("offers enough choices, all valid colours", () => {
    expect(SHIRT_COLORS.length).toBeGreaterThanOrEqual(8);
    expect(HAIR_COLORS).toHaveLength(8);
    expect(SKIN_TONES).toHaveLength(5);
    for (const c of [...SHIRT_COLORS, ...HAIR_COLORS, ...SKIN_TONES]) expect(c).toMatch(HEX);
  });
});

describe("randomOutfit", () => {
  it("only picks listed options and eventually picks each of them", () => {
    const rng = seededRng(42);
    const seen = { hat: new Set<string>(), hairStyle: new Set<string>(), beard: new Set<string>(), accessory: new Set<string>() };
    for (let i = 0; i < 400; i++) {
      const o = randomOutfit(rng);
      expect(HATS).toContain(o.hat);
      expect(HAIR_STYLES).toContain(o.hairStyle);
      expect(BEARDS).toContain(o.beard);
      expect(ACCESSORIES).toContain(o.accessory);
      expect(SHIRT_COLORS).toContain(o.shirt);
      expect(HAIR_COLORS).toContain(o.hair);
      expect(SKIN_TONES).toContain(o.skin);
      seen.hat.add(o.hat);
      seen.hairStyle.add(o.hairStyle);
      seen.beard.add(o.beard);
      seen.accessory.add(o.accessory);
    }
    expect(seen.hat.size).toBe(HATS.length);
    expect(seen.hairStyle.size).toBe(HAIR_STYLES.length);
    expect(seen.beard.size).toBe(BEARDS.length);
    expect(seen.accessory.size).toBe(ACCESSORIES.length);
  });

  it("is reproducible with a seed and survives an rng that returns 1", () => {
    expect(randomOutfit(seededRng(7))).toEqual(randomOutfit(seededRng(7)));
    expect(HATS).toContain(randomOutfit(() => 0.9999999).hat);
    expect(randomOutfit(() => 1).skin).toBe(SKIN_TONES.at(-1));
  });
});

describe("colour helpers", () => {
  it("mixes, shades and sanitises", () => {
    expect(mix("#000000", "#ffffff", 0)).toBe("#000000");
    expect(mix("#000000", "#ffffff", 1)).toBe("#ffffff");
    expect(mix("#000000", "#ffffff", 0.5)).toBe("#808080");
    expect(shade("#808080", -1)).toBe("#000000");
    expect(shade("#808080", 1)).toBe("#ffffff");
    expect(safeHex("#AbCdEf", "#000000")).toBe("#abcdef");
    expect(safeHex("red", "#123456")).toBe("#123456");
    expect(safeHex('#fff" onload="x', "#123456")).toBe("#123456");
  });
});
