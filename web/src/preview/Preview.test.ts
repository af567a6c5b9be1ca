import { describe, expect, it } from "vitest";
import { readOptions } from "./Preview";

describe("preview options", () => {
  it("reads theme, layout, width and a frozen clock from the query string", () => {
    expect(readOptions("?dark=1&w=390&now=1795514940000&portraits=0")).toEqual({
      dark: true,
      both: false,
      width: 390,
      now: 1795514940000,
      portraits: false,
      empty: false,
    });
    expect(readOptions("?empty=1")).toEqual({ dark: false, both: false, width: null, now: null, portraits: true, empty: true });
    expect(readOptions("?w=abc&now=-5").width).toBeNull();
  });
});
