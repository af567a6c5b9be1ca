/**
 * A chibi character built from an outfit, posed by the agent's state: asleep (idle), typing
 * (thinking or running a tool), waving (waiting for a person) or shaking (error). All motion is
 * CSS keyframes (see office.css); `prefers-reduced-motion` stills it.
 *
 * Coordinates: the origin is the hip, where the body meets the desk's back edge; y grows
 * downwards. The collar is at y = -24 and the head's centre at y = -42.
 */

import "../styles/office.css";
import { memo, type CSSProperties, type ReactElement } from "react";
import { safeHex, shade } from "./color";
import { BeardShape, BodyAccessory, HairBack, HairFront, HatShape, HeadAccessory } from "./CharacterParts";
import type { AgentState, Outfit } from "./types";

export type Pose = "asleep" | "typing" | "waving" | "shaking";

export function poseFor(state: AgentState): Pose {
  switch (state) {
    case "idle":
      return "asleep";
    case "thinking":
    case "tool":
      return "typing";
    case "waiting":
      return "waving";
    case "error":
      return "shaking";
  }
}

/** Outfit colours come from the server; anything malformed falls back to a neutral look. */
function cleanOutfit(outfit: Outfit): Outfit {
  return {
    ...outfit,
    shirt: safeHex(outfit.shirt, "#4d8fe8"),
    hair: safeHex(outfit.hair, "#4a3125"),
    skin: safeHex(outfit.skin, "#f3c69d"),
  };
}

const HEAD_Y = -42;
const INK = "#2c2535";

/** Where the head goes in each pose: asleep it droops onto the folded arms. */
const HEAD_TRANSFORM: Record<Pose, string> = {
  asleep: `translate(1 ${HEAD_Y + 14}) rotate(9)`,
  typing: `translate(0 ${HEAD_Y + 1})`,
  waving: `translate(0 ${HEAD_Y})`,
  shaking: `translate(0 ${HEAD_Y})`,
};

function Eyes({ pose }: { pose: Pose }): ReactElement {
  switch (pose) {
    case "asleep":
      return (
        <path d="M-8.4 2.4 Q-6 4.6 -3.6 2.4 M3.6 2.4 Q6 4.6 8.4 2.4" stroke={INK} strokeWidth="1.4" fill="none" strokeLinecap="round" />
      );
    case "waving":
      return (
        <path d="M-8.4 3.4 Q-6 0 -3.6 3.4 M3.6 3.4 Q6 0 8.4 3.4" stroke={INK} strokeWidth="1.6" fill="none" strokeLinecap="round" />
      );
    case "shaking":
      return (
        <path
          d="M-8.6 -0.4 L-4.2 2.2 L-8.6 4.8 M8.6 -0.4 L4.2 2.2 L8.6 4.8"
          stroke={INK}
          strokeWidth="1.5"
          fill="none"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      );
    case "typing":
      return (
        <g transform="translate(0 2.6)">
          <g className="ch-blink">
            <ellipse cx="-6" cy="0" rx="2.1" ry="2.7" fill={INK} />
            <ellipse cx="6" cy="0" rx="2.1" ry="2.7" fill={INK} />
            <circle cx="-5.2" cy="-1" r="0.85" fill="#ffffff" />
            <circle cx="6.8" cy="-1" r="0.85" fill="#ffffff" />
          </g>
        </g>
      );
  }
}

function Mouth({ pose }: { pose: Pose }): ReactElement {
  switch (pose) {
    case "asleep":
      return <ellipse cx="0.5" cy="10" rx="1.5" ry="1.8" fill="#8a3b46" />;
    case "waving":
      return (
        <g>
          <path d="M-3.8 8.4 Q0 15 3.8 8.4 Z" fill="#8a3b46" />
          <path d="M-2 11.6 Q0 10.4 2 11.6 Q0 13.4 -2 11.6 Z" fill="#ff8d9b" />
        </g>
      );
    case "shaking":
      return (
        <path d="M-3.6 11 Q-1.8 8.8 0 11 Q1.8 13.2 3.6 11" stroke={INK} strokeWidth="1.3" fill="none" strokeLinecap="round" />
      );
    case "typing":
      return <path d="M-2.4 9.6 Q0 11.6 2.4 9.6" stroke={INK} strokeWidth="1.3" fill="none" strokeLinecap="round" />;
  }
}

function Head({ outfit, pose }: { outfit: Outfit; pose: Pose }): ReactElement {
  const skinShade = shade(outfit.skin, -0.12);
  return (
    <g transform={HEAD_TRANSFORM[pose]}>
      <g className="ch-head">
        <circle cx="-16" cy="2.5" r="3.8" fill={skinShade} />
        <circle cx="16" cy="2.5" r="3.8" fill={skinShade} />
        <ellipse cx="0" cy="0" rx="16.4" ry="15.8" fill={outfit.skin} />
        <path d="M10 -11 A15.8 15.8 0 0 1 14.5 9 Q10 4 10 -11 Z" fill={skinShade} opacity="0.18" />
        <ellipse cx="-10" cy="8" rx="3.2" ry="1.9" fill="#ff7d8a" opacity="0.4" />
        <ellipse cx="10" cy="8" rx="3.2" ry="1.9" fill="#ff7d8a" opacity="0.4" />
        <Eyes pose={pose} />
        <ellipse cx="0" cy="6" rx="1.3" ry="0.9" fill={shade(outfit.skin, -0.22)} />
        <BeardShape beard={outfit.beard} color={outfit.hair} />
        <Mouth pose={pose} />
        <HairFront style={outfit.hairStyle} color={outfit.hair} />
        <HatShape hat={outfit.hat} shirt={outfit.shirt} />
        <HeadAccessory accessory={outfit.accessory} />
        {pose === "shaking" && <path d="M-13 -9 Q-15.5 -5 -13 -3.6 Q-10.5 -5 -13 -9 Z" fill="#8fd3ff" stroke="#5aa9e6" strokeWidth="0.5" />}
      </g>
    </g>
  );
}

function Body({ outfit, pose }: { outfit: Outfit; pose: Pose }): ReactElement {
  const dark = shade(outfit.shirt, -0.16);
  return (
    <g className="ch-body">
      <g transform={HEAD_TRANSFORM[pose]}>
        <g className="ch-head">
          <HairBack style={outfit.hairStyle} color={outfit.hair} />
        </g>
      </g>
      <rect x="-4" y="-30" width="8" height="8" rx="2" fill={shade(outfit.skin, -0.14)} />
      <path d="M-14 10 L-14 -15 Q-14 -24 -5 -24 L5 -24 Q14 -24 14 -15 L14 10 Z" fill={outfit.shirt} />
      <path d="M8 -23.2 Q14 -22 14 -15 L14 10 L9 10 Q10 -8 8 -23.2 Z" fill={dark} />
      <path d="M-5.5 -24 L0 -18.5 L5.5 -24" fill={shade(outfit.shirt, 0.35)} stroke={shade(outfit.shirt, 0.35)} strokeWidth="1" strokeLinejoin="round" />
      <BodyAccessory accessory={outfit.accessory} shirt={outfit.shirt} />
      <Head outfit={outfit} pose={pose} />
    </g>
  );
}

interface ArmProps {
  side: -1 | 1;
  path: string;
  hand: readonly [number, number];
  shirt: string;
  skin: string;
  className: string;
}

/** An arm hangs from its shoulder so CSS can swing it around that point. */
function Arm({ side, path, hand, shirt, skin, className }: ArmProps): ReactElement {
  return (
    <g transform={`translate(${side * 11.5} -19) scale(${side} 1)`}>
      <g className={className}>
        <path d={path} stroke={shirt} strokeWidth="6.4" fill="none" strokeLinecap="round" />
        <circle cx={hand[0]} cy={hand[1]} r="3.7" fill={skin} />
      </g>
    </g>
  );
}

/** Arm shapes drawn for the right side (mirrored for the left), relative to the shoulder. */
const ARMS: Record<Pose, { left: string; right: string; leftHand: [number, number]; rightHand: [number, number] }> = {
  typing: { left: "M0 0 Q4 13 -3 24", right: "M0 0 Q4 13 -3 24", leftHand: [-3, 24], rightHand: [-3, 24] },
  asleep: { left: "M0 0 Q5 17 -14 21", right: "M0 0 Q5 17 -14 21", leftHand: [-14, 21], rightHand: [-14, 21] },
  waving: { left: "M0 0 Q4 13 -3 24", right: "M0 0 Q10 -2 11 -17", leftHand: [-3, 24], rightHand: [11, -19] },
  shaking: { left: "M0 0 Q8 -2 4 -13", right: "M0 0 Q8 -2 4 -13", leftHand: [4, -14], rightHand: [4, -14] },
};

function Arms({ outfit, pose }: { outfit: Outfit; pose: Pose }): ReactElement {
  const arms = ARMS[pose];
  const sleeve = shade(outfit.shirt, -0.05);
  return (
    <g className="ch-arms">
      <Arm side={-1} path={arms.left} hand={arms.leftHand} shirt={sleeve} skin={outfit.skin} className="ch-arm ch-arm-l" />
      <Arm side={1} path={arms.right} hand={arms.rightHand} shirt={sleeve} skin={outfit.skin} className="ch-arm ch-arm-r" />
    </g>
  );
}

const Z_PATH = "M0 0 H6 L0 7 H6";

/** Floating signs above the head: z's, thought bubble, wrench, alarm. */
function Effects({ state, pose }: { state: AgentState; pose: Pose }): ReactElement | null {
  if (pose === "asleep") {
    return (
      <g className="ch-fx" stroke="#7b8bd6" strokeWidth="1.7" fill="none" strokeLinecap="round" strokeLinejoin="round">
        <g transform="translate(15 -50)">
          <path className="ch-z ch-z1" d={Z_PATH} />
        </g>
        <g transform="translate(15 -50)">
          <path className="ch-z ch-z2" d={Z_PATH} />
        </g>
        <g transform="translate(15 -50)">
          <path className="ch-z ch-z3" d={Z_PATH} />
        </g>
        <g transform="translate(-3 -22)">
          <circle className="ch-snore" r="3" fill="#cfe9ff" stroke="#8cc4ee" strokeWidth="0.6" opacity="0.9" />
        </g>
      </g>
    );
  }
  if (state === "thinking") {
    return (
      <g className="ch-fx">
        <circle cx="17" cy="-58" r="1.8" fill="#ffffff" stroke="#c9c3d6" strokeWidth="0.6" />
        <circle cx="21" cy="-64" r="2.7" fill="#ffffff" stroke="#c9c3d6" strokeWidth="0.6" />
        <path
          d="M20 -72 a5 5 0 0 1 7 -6 a6 6 0 0 1 10 0 a5 5 0 0 1 5 8 a5 5 0 0 1 -6 6 h-12 a5 5 0 0 1 -4 -8 Z"
          fill="#ffffff"
          stroke="#c9c3d6"
          strokeWidth="0.7"
        />
        <circle className="ch-dot ch-dot1" cx="26" cy="-70" r="1.4" fill="#7a6f92" />
        <circle className="ch-dot ch-dot2" cx="31" cy="-70" r="1.4" fill="#7a6f92" />
        <circle className="ch-dot ch-dot3" cx="36" cy="-70" r="1.4" fill="#7a6f92" />
      </g>
    );
  }
  if (state === "tool") {
    return (
      <g className="ch-fx">
        <circle cx="17" cy="-58" r="1.8" fill="#ffffff" stroke="#c9c3d6" strokeWidth="0.6" />
        <circle cx="29" cy="-70" r="9" fill="#ffffff" stroke="#c9c3d6" strokeWidth="0.7" />
        <g transform="translate(29 -70)">
          <g className="ch-wrench">
            <path
              d="M-4.6 4.6 L1.2 -1.2 A3.4 3.4 0 0 1 5.2 -5.6 L3 -3.4 L3.6 -1.6 L5.4 -1 L7.2 -3.2 A3.4 3.4 0 0 1 2.8 0.8 L-3 6.6 A1.4 1.4 0 0 1 -4.6 4.6 Z"
              transform="translate(-1.2 -0.6)"
              fill="#8a93a8"
              stroke="#5b6278"
              strokeWidth="0.6"
              strokeLinejoin="round"
            />
          </g>
        </g>
      </g>
    );
  }
  if (pose === "shaking") {
    return (
      <g className="ch-fx">
        <g transform="translate(22 -66)">
          <g className="ch-alarm">
            <path d="M-8 -9 H8 A3 3 0 0 1 11 -6 V5 A3 3 0 0 1 8 8 H-1 L-6 12 L-5 8 H-8 A3 3 0 0 1 -11 5 V-6 A3 3 0 0 1 -8 -9 Z" fill="#ec4d64" />
            <rect x="-1.5" y="-6" width="3" height="8" rx="1.5" fill="#ffffff" />
            <circle cx="0" cy="5" r="1.7" fill="#ffffff" />
          </g>
        </g>
      </g>
    );
  }
  return null;
}

export type CharacterLayer = "body" | "front";

interface CharacterProps {
  outfit: Outfit;
  state: AgentState;
  /** "body" goes behind the desk, "front" (arms and signs) in front of it. */
  layer: CharacterLayer;
  /** Seconds to offset the animations by, so neighbours do not move in lockstep. */
  phase?: number;
}

function CharacterImpl({ outfit, state, layer, phase = 0 }: CharacterProps): ReactElement {
  const pose = poseFor(state);
  const clean = cleanOutfit(outfit);
  const style = { "--ch-delay": `${-phase}s` } as CSSProperties;
  return (
    <g className={`ch ch--${pose} ch--${layer}`} style={style}>
      <g className="ch-motion">
        {layer === "body" ? (
          <Body outfit={clean} pose={pose} />
        ) : (
          <>
            <Arms outfit={clean} pose={pose} />
            <Effects state={state} pose={pose} />
          </>
        )}
      </g>
    </g>
  );
}

export const Character = memo(CharacterImpl);

interface PortraitProps {
  outfit: Outfit;
  state?: AgentState;
  /** Width and height in CSS pixels. */
  size?: number;
  title?: string;
}

/** A character on its own, behind a little desk edge: for dialogs and lists. */
export function CharacterPortrait({ outfit, state = "waiting", size = 96, title }: PortraitProps): ReactElement {
  return (
    <svg
      className="office-portrait"
      viewBox="-31 -85 76 96"
      width={size}
      height={(size * 96) / 76}
      role="img"
      aria-label={title ?? "character preview"}
    >
      {title !== undefined && <title>{title}</title>}
      <circle cx="3" cy="-36" r="34" fill="#000000" opacity="0.04" />
      <Character outfit={outfit} state={state} layer="body" />
      <rect x="-29" y="2" width="72" height="9" rx="3" fill="#e7c497" />
      <rect x="-29" y="2" width="72" height="2.5" rx="1.2" fill="#f6dcb8" />
      <Character outfit={outfit} state={state} layer="front" />
    </svg>
  );
}
