import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { agentsByDesk, Scene } from "./Scene";
import { ghostSpot } from "./Ghost";
import { deskAnchor, labelAnchor } from "./geometry";
import type { DeskAgent, Outfit, SceneProps, SceneVisitor } from "./types";

const NOW = Date.UTC(2026, 10, 21, 9, 0);
const LOOK: Outfit = { hat: "none", shirt: "#4d8fe8", hair: "#4a3125", hairStyle: "short", skin: "#f3c69d", beard: "none", accessory: "none" };

function agent(partial: Partial<DeskAgent> & Pick<DeskAgent, "id" | "desk">): DeskAgent {
  return {
    name: `Agent ${partial.id}`,
    state: "idle",
    stateSince: NOW - 60_000,
    topic: null,
    outfit: LOOK,
    backend: "claude",
    model: "claude-sonnet-4-5",
    needsAttention: false,
    queued: 0,
    ...partial,
  };
}

const noop = () => {};

function render(overrides: Partial<SceneProps> = {}): string {
  const props: SceneProps = {
    room: { id: "r1", name: "Main office" },
    agents: [],
    prevRoom: null,
    nextRoom: { id: "r2", name: "Lab" },
    openTasks: 0,
    hasRules: false,
    dark: false,
    now: NOW,
    onEmptyDesk: noop,
    onAgent: noop,
    onAgentMenu: noop,
    onSwapDesks: noop,
    onDropOnDoor: noop,
    onDoor: noop,
    onCorkboard: noop,
    onSign: noop,
    onClock: noop,
    onWindow: noop,
    onNeon: noop,
    ...overrides,
  };
  return renderToString(<Scene {...props} />);
}

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

describe("Scene", () => {
  it("shows eight desk slots, empty ones inviting a new agent", () => {
    const html = render({ agents: [agent({ id: "a", desk: 0, name: "Alice", state: "thinking", stateSince: NOW - 2 * 60_000 })] });
    expect(count(html, "data-desk=")).toBe(8);
    expect(count(html, "add an agent")).toBe(7);
    expect(html).toContain('aria-label="Alice, desk 1, working for 2 minutes"');
    expect(html).toContain("1 · Alice");
  });

  it("pins 0 to 3 post-its depending on open tasks", () => {
    expect(count(render({ openTasks: 0 }), 'class="postit"')).toBe(0);
    expect(count(render({ openTasks: 2 }), 'class="postit"')).toBe(2);
    expect(count(render({ openTasks: 12 }), 'class="postit"')).toBe(3);
    expect(render({ openTasks: 12 })).toContain("12 open tasks");
    expect(render({ openTasks: 12 })).toContain("+9");
    expect(render({ openTasks: 3 })).not.toContain("+0");
  });

  it("leaves the rules sign blank until rules exist", () => {
    expect(render({ hasRules: false })).toContain("Office rules: none written yet");
    expect(render({ hasRules: true })).not.toContain("none written yet");
  });

  it("labels doors with room names and disables a door with no room", () => {
    const html = render({ prevRoom: null, nextRoom: { id: "r2", name: "Lab" } });
    expect(html).toContain('aria-label="No previous room"');
    expect(html).toContain('aria-disabled="true"');
    expect(html).toContain('aria-label="Go to next room: Lab"');
    expect(html).toContain("Lab ›");
  });

  it("marks model and backend props, queued messages and attention", () => {
    const html = render({
      agents: [
        agent({ id: "o", desk: 0, model: "claude-opus-4-5" }),
        agent({ id: "h", desk: 1, model: "claude-haiku-4-5", backend: "demo", queued: 3, needsAttention: true, state: "waiting" }),
      ],
    });
    expect(count(html, 'class="desk-book"')).toBe(1);
    expect(count(html, 'class="desk-crayons"')).toBe(1);
    expect(count(html, 'class="demo-sticker"')).toBe(1);
    expect(html).toContain("3 queued messages");
    expect(count(html, "attention-ring")).toBeGreaterThan(0);
    expect(html).toContain("nametag--attention");
  });

  it("ellipsizes long topics and keeps the full text in a tooltip", () => {
    const topic = "Refactoring the websocket reconnect logic so that drafts survive a server restart";
    const html = render({ agents: [agent({ id: "t", desk: 4, topic })] });
    expect(html).toContain(`<title>${topic}</title>`);
    expect(html).toContain("…");
  });

  it("turns the screen colour and status light with the state", () => {
    const html = render({
      agents: [
        agent({ id: "w", desk: 0, state: "tool", stateSince: NOW - 6 * 60_000 }),
        agent({ id: "e", desk: 1, state: "error" }),
        agent({ id: "s", desk: 2, state: "waiting" }),
      ],
    });
    expect(html).toContain("monitor--working");
    expect(html).toContain("monitor--error");
    expect(html).toContain("monitor--waiting");
    expect(html).toContain("status-light--red");
    expect(html).toContain("status-light--purple");
  });

  it("switches to night paint in dark mode", () => {
    expect(render({ dark: true })).toContain("office-backdrop-night");
    expect(render({ dark: false })).toContain("office-backdrop-day");
  });

  it("never lets outfit colours or names escape into markup", () => {
    const evil = agent({ id: "x", desk: 3, name: "<img src=x onerror=alert(1)>", outfit: { ...LOOK, shirt: '"><script>alert(1)</script>' } });
    const html = render({ agents: [evil] });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
  });
});

function visitor(id: string, name: string, agentId: string, extra: Partial<SceneVisitor> = {}): SceneVisitor {
  return { id, name, device: "Phone", typing: false, agentId, hue: 200, ...extra };
}

describe("visitors' ghosts", () => {
  const agents = [agent({ id: "ada", desk: 2, name: "Ada" }), agent({ id: "bo", desk: 5, name: "Bo" })];

  it("float beside the desk of the agent they look at, named on hover", () => {
    const html = render({ agents, visitors: [visitor("o1", "Bob", "ada")] });
    expect(count(html, 'class="visitor-ghost"')).toBe(1);
    expect(html).toContain('data-visitors-desk="2"');
    expect(html).toContain("Bob · Phone (looking at Ada)");
    expect(html).toContain('class="ghost-tag"');
  });

  it("show a speech bubble while their person types", () => {
    const html = render({ agents, visitors: [visitor("o1", "Bob", "ada", { typing: true })] });
    expect(html).toContain("visitor-ghost--typing");
    expect(html).toContain("ghost-typing");
    expect(html).toContain("typing to Ada");
  });

  it("ignore agents that are not in this room", () => {
    expect(count(render({ agents, visitors: [visitor("o1", "Bob", "elsewhere")] }), "visitor-ghost")).toBe(0);
  });

  it("count a crowd instead of piling it up", () => {
    const crowd = ["A", "B", "C", "D", "E"].map((n) => visitor(n, n, "bo"));
    const html = render({ agents, visitors: crowd });
    expect(count(html, 'class="visitor-ghost"')).toBe(3);
    expect(html).toContain("+2");
  });

  it("float at the agent's shoulder, above the desk's name plate, a crowd each higher", () => {
    for (let desk = 0; desk < 8; desk++) {
      const a = deskAnchor(desk);
      const plate = labelAnchor(desk);
      const spots = [0, 1, 2, 3].map((i) => ghostSpot(desk, i));
      for (const spot of spots) {
        expect(spot.x).toBeGreaterThan(a.x + 30);
        expect(spot.y + 20).toBeLessThan(plate.y - 10);
        expect(spot.floorY).toBeGreaterThan(spot.y);
      }
      expect(spots.map((s) => s.y)).toEqual([...spots.map((s) => s.y)].sort((x, y) => y - x));
    }
  });

  it("never let a visitor's name escape into markup", () => {
    const html = render({ agents, visitors: [visitor("o1", "<img src=x onerror=alert(1)>", "ada", { device: "<script>x</script>" })] });
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script>");
  });
});

describe("agentsByDesk", () => {
  it("keeps the first agent per desk and drops impossible desks", () => {
    const map = agentsByDesk([agent({ id: "a", desk: 2 }), agent({ id: "b", desk: 2 }), agent({ id: "c", desk: 9 }), agent({ id: "d", desk: 1.5 })]);
    expect([...map.keys()]).toEqual([2]);
    expect(map.get(2)?.id).toBe("a");
  });
});
