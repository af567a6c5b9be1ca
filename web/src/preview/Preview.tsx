/**
 * A page for looking at the office: sample agents in every state and look, visitors' ghosts, day and night,
 * a phone-width variant and rows of character portraits. Query parameters:
 * `dark=1`, `both=1` (day and night side by side), `w=390` (container width in px),
 * `now=<epoch ms>` (freeze the clock), `portraits=0` (hide the portraits), `empty=1` (a new office:
 * no agents, no tasks, no rules, no other rooms).
 */

import { useCallback, useEffect, useMemo, useState, type ReactElement } from "react";
import { CharacterPortrait } from "../office/Character";
import { ACCESSORIES, BEARDS, HAIR_STYLES, HATS, randomOutfit, seededRng } from "../office/outfits";
import { Scene } from "../office/Scene";
import type { AgentState, DeskAgent, Outfit, SceneProps } from "../office/types";
import "./preview.css";
import { ROOMS, SAMPLE_VISITORS, sampleAgents, sampleOutfit } from "./samples";

export interface PreviewOptions {
  dark: boolean;
  both: boolean;
  width: number | null;
  now: number | null;
  portraits: boolean;
  empty: boolean;
}

export function readOptions(search: string): PreviewOptions {
  const q = new URLSearchParams(search);
  const number = (key: string) => {
    const raw = q.get(key);
    const n = raw === null ? NaN : Number(raw);
    return Number.isFinite(n) && n > 0 ? n : null;
  };
  return {
    dark: q.get("dark") === "1",
    both: q.get("both") === "1",
    width: number("w"),
    now: number("now"),
    portraits: q.get("portraits") !== "0",
    empty: q.get("empty") === "1",
  };
}

const STATES: readonly AgentState[] = ["idle", "thinking", "tool", "waiting", "error"];
const BASE_LOOK = sampleOutfit({ shirt: "#4d8fe8", hair: "#7a4a2b", hairStyle: "short", skin: "#f3c69d" });

function PortraitRow({ title, items }: { title: string; items: { label: string; outfit: Outfit; state?: AgentState }[] }): ReactElement {
  return (
    <div className="preview-row">
      <h3>{title}</h3>
      <div className="preview-portraits">
        {items.map((item) => (
          <figure key={item.label}>
            <CharacterPortrait outfit={item.outfit} state={item.state ?? "waiting"} size={84} title={item.label} />
            <figcaption>{item.label}</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}

function Portraits(): ReactElement {
  const rng = seededRng(7);
  return (
    <section className="preview-portrait-section">
      <PortraitRow title="States" items={STATES.map((state) => ({ label: state, outfit: BASE_LOOK, state }))} />
      <PortraitRow title="Hats" items={HATS.map((hat) => ({ label: hat, outfit: { ...BASE_LOOK, hat, shirt: "#ef6f6c" } }))} />
      <PortraitRow title="Hair" items={HAIR_STYLES.map((hairStyle) => ({ label: hairStyle, outfit: { ...BASE_LOOK, hairStyle, hair: "#a3452c", skin: "#ffe0c7" } }))} />
      <PortraitRow title="Beards" items={BEARDS.map((beard) => ({ label: beard, outfit: { ...BASE_LOOK, beard, hair: "#4a3125", skin: "#d79e70" } }))} />
      <PortraitRow title="Accessories" items={ACCESSORIES.map((accessory) => ({ label: accessory, outfit: { ...BASE_LOOK, accessory, shirt: "#6cc5a0" } }))} />
      <PortraitRow title="Random" items={Array.from({ length: 10 }, (_, i) => ({ label: `#${i + 1}`, outfit: randomOutfit(rng) }))} />
    </section>
  );
}

export function Preview(): ReactElement {
  const options = useMemo(() => readOptions(window.location.search), []);
  const [now, setNow] = useState(() => options.now ?? Date.now());
  const [agents, setAgents] = useState<DeskAgent[]>(() => (options.empty ? [] : sampleAgents(now)));
  const [roomIndex, setRoomIndex] = useState(options.empty ? 0 : 1);
  const [dark, setDark] = useState(options.dark);
  const [log, setLog] = useState<string[]>([]);

  useEffect(() => {
    if (options.now !== null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, [options.now]);

  const record = useCallback((line: string) => setLog((old) => [line, ...old].slice(0, 4)), []);

  const callbacks: Omit<SceneProps, "room" | "agents" | "prevRoom" | "nextRoom" | "openTasks" | "hasRules" | "dark" | "now"> = {
    onEmptyDesk: (desk) => record(`onEmptyDesk(${desk})`),
    onAgent: (id) => record(`onAgent(${id})`),
    onAgentMenu: (id, x, y) => record(`onAgentMenu(${id}, ${Math.round(x)}, ${Math.round(y)})`),
    onSwapDesks: (a, b) => {
      record(`onSwapDesks(${a}, ${b})`);
      setAgents((list) => list.map((ag) => (ag.desk === a ? { ...ag, desk: b } : ag.desk === b ? { ...ag, desk: a } : ag)));
    },
    onDropOnDoor: (id, side) => {
      record(`onDropOnDoor(${id}, ${side})`);
      setAgents((list) => list.filter((ag) => ag.id !== id));
    },
    onDoor: (side) => {
      record(`onDoor(${side})`);
      setRoomIndex((i) => Math.max(0, Math.min(ROOMS.length - 1, i + (side === "prev" ? -1 : 1))));
    },
    onCorkboard: () => record("onCorkboard()"),
    onSign: () => record("onSign()"),
    onClock: () => record("onClock()"),
    onWindow: () => {
      record("onWindow()");
      setDark((d) => !d);
    },
    onNeon: () => record("onNeon()"),
  };

  const room = ROOMS[roomIndex] ?? { id: "r-main", name: "Main office" };
  const scene = (sceneDark: boolean) => (
    <Scene
      room={room}
      agents={agents}
      prevRoom={ROOMS[roomIndex - 1] ?? null}
      nextRoom={options.empty ? null : (ROOMS[roomIndex + 1] ?? null)}
      openTasks={options.empty ? 0 : 5}
      hasRules={!options.empty}
      dark={sceneDark}
      now={now}
      visitors={options.empty ? [] : SAMPLE_VISITORS}
      {...callbacks}
    />
  );

  return (
    <div className={`preview${dark && !options.both ? " preview--dark" : ""}`}>
      <header className="preview-header">
        <strong>Isomux office preview</strong>
        <span className="preview-room">{room.name}</span>
        <output className="preview-log" data-testid="event-log">
          {log[0] ?? "click, drag or right-click something"}
        </output>
      </header>
      <div className={options.both ? "preview-scenes preview-scenes--both" : "preview-scenes"}>
        <div className="preview-scene" style={options.width ? { width: options.width } : undefined} data-testid="scene">
          {scene(options.both ? false : dark)}
        </div>
        {options.both && <div className="preview-scene">{scene(true)}</div>}
      </div>
      {options.portraits && <Portraits />}
    </div>
  );
}
