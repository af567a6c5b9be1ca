import { describe, expect, it } from "vitest";
import { memoryStorage } from "../net/testkit";
import { forgetDrafts, loadDraft, loadTheme, pruneDrafts, saveDraft, type KeyValue } from "./storage";

function brokenStorage(): KeyValue {
  const fail = () => {
    throw new Error("quota exceeded");
  };
  return { getItem: fail, setItem: fail, removeItem: fail, length: 0, key: fail };
}

describe("drafts", () => {
  it("are kept per agent", () => {
    const storage = memoryStorage();
    saveDraft(storage, "a1", "half a thought");
    saveDraft(storage, "a2", "another");
    expect(loadDraft(storage, "a1")).toBe("half a thought");
    expect(loadDraft(storage, "a2")).toBe("another");
    expect(loadDraft(storage, "a3")).toBe("");
  });

  it("an emptied box forgets the draft", () => {
    const storage = memoryStorage();
    saveDraft(storage, "a1", "text");
    saveDraft(storage, "a1", "   ");
    expect(loadDraft(storage, "a1")).toBe("");
    expect(storage.length).toBe(0);
  });

  it("drafts of agents that left are dropped, others stay", () => {
    const storage = memoryStorage();
    saveDraft(storage, "a1", "keep");
    saveDraft(storage, "gone", "drop");
    storage.setItem("isomux:theme", "dark");
    pruneDrafts(storage, new Set(["a1"]));
    expect(loadDraft(storage, "a1")).toBe("keep");
    expect(loadDraft(storage, "gone")).toBe("");
    expect(storage.getItem("isomux:theme")).toBe("dark");
  });

  it("signing out forgets every draft but keeps the preferences", () => {
    const storage = memoryStorage();
    saveDraft(storage, "a1", "private words");
    saveDraft(storage, "a2", "more");
    storage.setItem("isomux:theme", "dark");
    forgetDrafts(storage);
    expect(loadDraft(storage, "a1")).toBe("");
    expect(loadDraft(storage, "a2")).toBe("");
    expect(storage.getItem("isomux:theme")).toBe("dark");
  });

  it("a broken storage never throws", () => {
    const storage = brokenStorage();
    expect(() => saveDraft(storage, "a1", "x")).not.toThrow();
    expect(loadDraft(storage, "a1")).toBe("");
  });
});

describe("preferences", () => {
  it("follow the system theme until one is chosen", () => {
    const storage = memoryStorage();
    expect(loadTheme(storage, true)).toBe("dark");
    storage.setItem("isomux:theme", "light");
    expect(loadTheme(storage, true)).toBe("light");
  });
});
