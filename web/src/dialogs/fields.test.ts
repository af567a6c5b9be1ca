import { describe, expect, it } from "vitest";
import { fieldOf, shortPath } from "./AgentDialog";

describe("server refusals land next to their field", () => {
  it("a duplicate name goes to the name, a bad directory to the directory", () => {
    expect(fieldOf("an agent called Ada already works here; choose another name")).toBe("name");
    expect(fieldOf("the working directory /nope does not exist")).toBe("cwd");
    expect(fieldOf("cwd: cwd must be an absolute path (or start with ~/)")).toBe("cwd");
    expect(fieldOf("there is no free desk in Room 1; create a room or move someone")).toBeNull();
  });

  it("recent directories are shown by their last two parts", () => {
    expect(shortPath("/home/nil/src/isomux")).toBe("…/src/isomux");
    expect(shortPath("/tmp")).toBe("/tmp");
  });
});
