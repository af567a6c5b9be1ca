import { describe, expect, it } from "vitest";
import type { QueuedMessage, Visitor } from "../protocol";
import { hereSentence, others, personHue, queueSenders, steering, steeringText, typingSentence, visitorLabel, visitorsByAgent, visitorsOf } from "./presence";
import type { Me } from "./state";
import { queued } from "./testdata";

function visitor(id: string, name: string, extra: Partial<Visitor> = {}): Visitor {
  return { id, name, device: "Laptop", viewing: null, typing: false, you: false, ...extra };
}

const ME: Me = { name: "Nil", device: "Laptop", role: "owner", rooms: null };

function fromAgent(id: string, body: string, name: string): QueuedMessage {
  const message = queued(id, body, name);
  return { ...message, sender: { ...message.sender, kind: "agent" } };
}

describe("who else is here", () => {
  const presence = [
    visitor("o1", "Nil", { you: true, viewing: "a1" }),
    visitor("o2", "Bob", { device: "Phone", viewing: "a1", typing: true }),
    visitor("o3", "Ada", { viewing: "a2" }),
    visitor("o4", "Nil", { device: "Phone", viewing: "a1" }),
    visitor("o5", "Eve", { viewing: null }),
  ];

  it("never includes this browser, but does include the person's other devices", () => {
    expect(others(presence).map((v) => v.id)).toEqual(["o3", "o2", "o5", "o4"]);
    expect(visitorsOf(presence, "a1").map(visitorLabel)).toEqual(["Bob · Phone", "Nil · Phone"]);
  });

  it("groups ghosts by the agent they look at, leaving out browsers in the office view", () => {
    const byAgent = visitorsByAgent(presence);
    expect([...byAgent.keys()].sort()).toEqual(["a1", "a2"]);
    expect(byAgent.get("a2")?.map((v) => v.name)).toEqual(["Ada"]);
  });

  it("says who is here and who is typing, in plain words", () => {
    expect(hereSentence([])).toBe("");
    expect(hereSentence([visitor("x", "Bob", { device: "Phone" })])).toBe("Bob · Phone is here");
    expect(hereSentence([visitor("x", "Bob", { device: "Phone" }), visitor("y", "Ada", { device: null })])).toBe("Bob · Phone and Ada are here");
    const crowd = ["A", "B", "C", "D", "E"].map((n) => visitor(n, n, { device: null }));
    expect(hereSentence(crowd)).toBe("A, B and 3 others are here");
    expect(typingSentence([visitor("x", "Bob", { typing: true }), visitor("y", "Bob", { device: "Phone", typing: true })])).toBe("Bob is typing…");
    expect(typingSentence([visitor("x", "Bob", { typing: true }), visitor("y", "Ada", { typing: true })])).toBe("Bob and Ada are typing…");
    expect(typingSentence([visitor("x", "Bob")])).toBe("");
  });

  it("gives each person one colour everywhere", () => {
    expect(personHue("Bob")).toBe(personHue("Bob"));
    expect(personHue("Bob")).not.toBe(personHue("Ada"));
    expect(personHue("Bob")).toBeGreaterThanOrEqual(0);
    expect(personHue("Bob")).toBeLessThan(360);
  });
});

describe("two people steering one agent", () => {
  const base = { agentId: "a1", busy: true, queue: [] as QueuedMessage[], presence: [] as Visitor[], me: ME, typing: false };

  it("waiting messages from two people are a warning while the agent works", () => {
    const queue = [queued("m1", "do X", "Nil", "Laptop"), queued("m2", "no, do Y", "Bob", "Phone"), queued("m3", "and Z", "Nil", "Phone")];
    expect(queueSenders(queue)).toEqual(["Nil", "Bob"]);
    const warning = steering({ ...base, queue });
    expect(warning).toEqual({ kind: "queue", senders: ["Nil", "Bob"] });
    expect(steeringText(warning!, "Ada")).toContain("Nil and Bob are both steering Ada");
  });

  it("one person's messages from several devices are not a conflict", () => {
    const queue = [queued("m1", "do X", "Nil", "Laptop"), queued("m2", "and Y", "Nil", "Phone")];
    expect(steering({ ...base, queue })).toBeNull();
  });

  it("an agent's message counts as another voice", () => {
    const queue = [queued("m1", "do X", "Nil"), fromAgent("m2", "please review", "Grace")];
    expect(steering({ ...base, queue })).toEqual({ kind: "queue", senders: ["Nil", "Grace"] });
  });

  it("an idle agent is never a conflict (the messages go out at once)", () => {
    const queue = [queued("m1", "do X", "Nil"), queued("m2", "do Y", "Bob")];
    expect(steering({ ...base, busy: false, queue })).toBeNull();
  });

  it("someone else typing to it while I type is a warning", () => {
    const presence = [visitor("o2", "Bob", { viewing: "a1", typing: true })];
    expect(steering({ ...base, presence, typing: true })).toEqual({ kind: "typing", typists: ["Bob"] });
    expect(steeringText({ kind: "typing", typists: ["Bob"] }, "Ada")).toContain("Bob is also writing to Ada");
    // Only while I type too, only for this agent, and never for my own other devices.
    expect(steering({ ...base, presence, typing: false })).toBeNull();
    expect(steering({ ...base, presence: [visitor("o2", "Bob", { viewing: "a2", typing: true })], typing: true })).toBeNull();
    expect(steering({ ...base, presence: [visitor("o4", "Nil", { device: "Phone", viewing: "a1", typing: true })], typing: true })).toBeNull();
  });
});
