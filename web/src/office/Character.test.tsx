import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Character, CharacterPortrait, poseFor } from "./Character";
import { ACCESSORIES, BEARDS, HAIR_STYLES, HATS } from "./outfits";
import type { AgentState, Outfit } from "./types";

const LOOK: Outfit = { hat: "none", shirt: "#4d8fe8", hair: "#4a3125", hairStyle: "short", skin: "#f3c69d", beard: "none", accessory: "none" };

function draw(outfit: Outfit, state: AgentState = "thinking"): string {
  return renderToString(
    <svg>
      <Character outfit={outfit} state={state} layer="body" />
      <Character outfit={outfit} state={state} layer="front" />
    </svg>,
  );
}

describe("Character", () => {
  it("sleeps when idle, types when working, waves when waiting and shakes on error", () => {
    expect(poseFor("idle")).toBe("asleep");
    expect(poseFor("thinking")).toBe("typing");
    expect(poseFor("tool")).toBe("typing");
    expect(poseFor("waiting")).toBe("waving");
    expect(poseFor("error")).toBe("shaking");
    expect(draw(LOOK, "idle")).toContain("ch-z");
    expect(draw(LOOK, "thinking")).toContain("ch-dot");
    expect(draw(LOOK, "tool")).toContain("ch-wrench");
    expect(draw(LOOK, "waiting")).toContain("ch--waving");
    expect(draw(LOOK, "error")).toContain("ch-alarm");
  });

  it("draws every hat, hair style, beard and accessory differently", () => {
    const options = [
      ...HATS.map((hat) => ({ ...LOOK, hat })),
      ...HAIR_STYLES.map((hairStyle) => ({ ...LOOK, hairStyle })),
      ...BEARDS.map((beard) => ({ ...LOOK, beard })),
      ...ACCESSORIES.map((accessory) => ({ ...LOOK, accessory })),
    ];
    const drawings = new Set(options.map((o) => draw(o)));
    // Hat "none", hair "short", beard "none" and accessory "none" are all the base look itself.
    expect(drawings.size).toBe(options.length - 4 + 1);
  });

  it("uses the outfit colours and falls back on malformed ones", () => {
    const html = draw({ ...LOOK, shirt: "#123456", skin: "not a colour" });
    expect(html).toContain("#123456");
    expect(html).toContain("#f3c69d");
    expect(html).not.toContain("not a colour");
  });

  it("renders standalone as a portrait of the requested size", () => {
    const html = renderToString(<CharacterPortrait outfit={LOOK} state="waiting" size={120} title="Preview" />);
    expect(html.startsWith("<svg")).toBe(true);
    expect(html).toContain('width="120"');
    expect(html).toContain("<title>Preview</title>");
  });
});
