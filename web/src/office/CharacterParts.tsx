/**
 * The pieces a character's head is built from: hair (behind and in front of the face), hats,
 * beards and head accessories. All shapes are in head-local coordinates: the head is a circle of
 * radius 16 around the origin, the eyes sit at y = 2 and the mouth near y = 9.
 */

import type { ReactElement } from "react";
import { luminance, mix, shade } from "./color";
import type { Accessory, Beard, HairStyle, Hat } from "./types";

const HEAD_R = 16;

/** Hair that shows behind the head and shoulders. */
export function HairBack({ style, color }: { style: HairStyle; color: string }): ReactElement | null {
  const dark = shade(color, -0.18);
  switch (style) {
    case "long":
      return (
        <path
          d="M-17.5 -3 C-20 10 -19.5 21 -15 27 L15 27 C19.5 21 20 10 17.5 -3 Z"
          fill={dark}
        />
      );
    case "ponytail":
      return (
        <g>
          <path d="M9 -13 C21 -17 28 -6 25 7 C24 14 20 18 17 20 C19 12 19 3 13 -4 Z" fill={dark} />
          <circle cx="11.5" cy="-10.5" r="3" fill={mix(color, "#ff6b8a", 0.65)} />
        </g>
      );
    case "bun":
      return (
        <g>
          <circle cx="0" cy="-18" r="8" fill={dark} />
          <path d="M-4 -22 Q0 -25 4 -22" stroke={shade(color, 0.15)} strokeWidth="1.2" fill="none" strokeLinecap="round" />
        </g>
      );
    case "pigtails":
      return (
        <g>
          <ellipse cx="-19" cy="6" rx="6" ry="9" transform="rotate(18 -19 6)" fill={dark} />
          <ellipse cx="19" cy="6" rx="6" ry="9" transform="rotate(-18 19 6)" fill={dark} />
          <circle cx="-16" cy="-2" r="2.4" fill={mix(color, "#ff6b8a", 0.7)} />
          <circle cx="16" cy="-2" r="2.4" fill={mix(color, "#ff6b8a", 0.7)} />
        </g>
      );
    case "curly":
      return (
        <g fill={dark}>
          {CURL_RING.map(([x, y, r]) => (
            <circle key={`${x},${y}`} cx={x} cy={y} r={r} />
          ))}
        </g>
      );
    case "short":
    case "bald":
      return null;
  }
}

const CURL_RING: readonly (readonly [number, number, number])[] = [
  [-17, 6, 6],
  [-18, -4, 6.5],
  [-14, -13, 7],
  [-6, -18, 7],
  [4, -18.5, 7],
  [13, -14, 7],
  [18, -4, 6.5],
  [17, 6, 6],
];

const CURL_FRINGE: readonly (readonly [number, number, number])[] = [
  [-14, -5, 4.5],
  [-11, -11, 5.2],
  [-5, -14.5, 5.5],
  [1.5, -15, 5.5],
  [8, -13, 5.3],
  [13, -8, 4.8],
  [15.5, -2, 3.6],
];

/** Hair drawn over the top of the face: fringes, partings and shines. */
export function HairFront({ style, color }: { style: HairStyle; color: string }): ReactElement | null {
  const light = shade(color, 0.22);
  switch (style) {
    case "short":
      return (
        <g>
          <path
            d="M-16.6 3 C-18.5 -12 -9 -20.5 1 -19.8 C11 -19.5 18.5 -12 16.6 2 C15 -3 13.5 -6 11 -7.5 C8 -4.5 2 -6.5 -1 -9.5 C-4 -6 -10 -5 -13 -6 C-14.8 -3.5 -15.8 -0.5 -16.6 3 Z"
            fill={color}
          />
          <path d="M-6 -15.5 Q0 -17.5 6 -15.5" stroke={light} strokeWidth="1.6" fill="none" strokeLinecap="round" />
        </g>
      );
    case "long":
    case "pigtails":
      return (
        <g>
          <path
            d="M-16.8 6 C-18.5 -11 -9.5 -20 0 -19.6 C9.5 -20 18.5 -11 16.8 6 C15.5 -3 10 -9.5 1.2 -10.5 L0 -8.6 L-1.2 -10.5 C-10 -9.5 -15.5 -3 -16.8 6 Z"
            fill={color}
          />
          {style === "long" && (
            <g fill={color}>
              <path d="M-16.8 2 C-17.5 10 -16.5 17 -13 21 C-12.5 13 -12.5 6 -12 0 Z" />
              <path d="M16.8 2 C17.5 10 16.5 17 13 21 C12.5 13 12.5 6 12 0 Z" />
            </g>
          )}
          <path d="M-9 -15 Q-4.5 -17.5 -1.5 -16.5" stroke={light} strokeWidth="1.5" fill="none" strokeLinecap="round" />
        </g>
      );
    case "ponytail":
    case "bun":
      return (
        <g>
          <path
            d="M-16.5 1 C-17.5 -13 -8.5 -19.8 0 -19.8 C8.5 -19.8 17.5 -13 16.5 1 C14 -7 8 -11.2 0 -11.4 C-8 -11.2 -14 -7 -16.5 1 Z"
            fill={color}
          />
          <path d="M-3 -19 Q-1 -15 0 -11.6" stroke={shade(color, -0.2)} strokeWidth="0.9" fill="none" />
          <path d="M4 -17.5 Q9 -16.5 12 -12.5" stroke={light} strokeWidth="1.5" fill="none" strokeLinecap="round" />
        </g>
      );
    case "curly":
      return (
        <g fill={color}>
          {CURL_FRINGE.map(([x, y, r]) => (
            <circle key={`${x},${y}`} cx={x} cy={y} r={r} />
          ))}
          <circle cx="-5" cy="-16" r="1.5" fill={light} />
          <circle cx="6" cy="-15" r="1.3" fill={light} />
        </g>
      );
    case "bald":
      return (
        <g>
          <path d="M-16.6 5 C-17.2 0 -16.6 -4 -14.8 -7 L-13 -1 C-13.6 1 -14.6 3.5 -16.6 5 Z" fill={color} />
          <path d="M16.6 5 C17.2 0 16.6 -4 14.8 -7 L13 -1 C13.6 1 14.6 3.5 16.6 5 Z" fill={color} />
          <ellipse cx="-5.5" cy="-11" rx="4.5" ry="2.2" fill="#ffffff" opacity="0.35" transform="rotate(-20 -5.5 -11)" />
        </g>
      );
  }
}

const BEANIE_COLORS: readonly string[] = ["#e2574c", "#3d7dd8", "#f0b429", "#4caf7d", "#8e6cc9", "#ef8fb0"];

function pickByColor(base: string, choices: readonly string[]): string {
  let hash = 0;
  for (const ch of base) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return choices[hash % choices.length] ?? "#e2574c";
}

export function HatShape({ hat, shirt }: { hat: Hat; shirt: string }): ReactElement | null {
  switch (hat) {
    case "none":
      return null;
    case "cap": {
      const c = shade(shirt, -0.22);
      return (
        <g>
          <path d="M-17 -4 C-17.8 -17 -9 -23.5 0 -23.5 C9 -23.5 17.8 -17 17 -4 Z" fill={c} />
          <path d="M-6 -22.5 C-7 -14 -6.5 -8 -6 -4 M6 -22.5 C7 -14 6.5 -8 6 -4" stroke={shade(c, -0.2)} strokeWidth="0.8" fill="none" />
          <circle cx="0" cy="-23.3" r="1.8" fill={shade(c, 0.25)} />
          <path d="M-18 -4 C-10 -7.5 12 -8 22 -3 C19 1.5 4 1.8 -18 -1 Z" fill={shade(c, -0.18)} />
          <path d="M-10 -17 Q-5 -20.5 0 -21" stroke={shade(c, 0.3)} strokeWidth="1.4" fill="none" strokeLinecap="round" />
        </g>
      );
    }
    case "beanie": {
      const c = pickByColor(shirt, BEANIE_COLORS);
      return (
        <g>
          <path d="M-17 -3 C-18.5 -19 -9 -26 0 -26 C9 -26 18.5 -19 17 -3 Z" fill={c} />
          <rect x="-18" y="-8" width="36" height="8" rx="3.5" fill={shade(c, -0.15)} />
          <path
            d="M-13 -7 V-1 M-8.5 -7 V-1 M-4 -7 V-1 M0.5 -7 V-1 M5 -7 V-1 M9.5 -7 V-1 M14 -7 V-1"
            stroke={shade(c, -0.3)}
            strokeWidth="0.8"
          />
          <circle cx="0" cy="-27" r="5" fill={shade(c, 0.45)} />
          <circle cx="-1.5" cy="-28.5" r="1.6" fill="#ffffff" opacity="0.5" />
        </g>
      );
    }
    case "bow":
      return (
        <g transform="translate(9 -15) rotate(18)">
          <path d="M0 0 L-8.5 -5.5 Q-10.5 0 -8.5 5.5 Z" fill="#ff6b9a" />
          <path d="M0 0 L8.5 -5.5 Q10.5 0 8.5 5.5 Z" fill="#ff6b9a" />
          <path d="M-6.5 -3 L-3 -0.8 M6.5 -3 L3 -0.8" stroke="#d94a7a" strokeWidth="0.9" />
          <circle r="2.6" fill="#e84f83" />
        </g>
      );
    case "headband": {
      const c = luminance(shirt) > 0.6 ? shade(shirt, -0.35) : shirt;
      return (
        <g>
          <path d="M-16.8 -2 C-14 -17 14 -17 16.8 -2" stroke={c} strokeWidth="4.6" fill="none" strokeLinecap="round" />
          <path d="M-15.3 -4.5 C-12 -15 12 -15 15.3 -4.5" stroke="#ffffff" strokeWidth="1" fill="none" opacity="0.7" />
        </g>
      );
    }
    case "crown":
      return (
        <g>
          <path
            d="M-11 -13 L-12.5 -27 L-6 -20 L0 -29.5 L6 -20 L12.5 -27 L11 -13 Q0 -10.5 -11 -13 Z"
            fill="#f7c948"
            stroke="#c8902a"
            strokeWidth="1"
            strokeLinejoin="round"
          />
          <circle cx="-12.5" cy="-27" r="1.7" fill="#ff5d73" />
          <circle cx="0" cy="-29.5" r="1.9" fill="#5db8ff" />
          <circle cx="12.5" cy="-27" r="1.7" fill="#ff5d73" />
          <circle cx="0" cy="-15" r="2" fill="#5ad18a" />
        </g>
      );
  }
}

export function BeardShape({ beard, color }: { beard: Beard; color: string }): ReactElement | null {
  switch (beard) {
    case "none":
      return null;
    case "stubble":
      return (
        <g fill={color}>
          <path
            d="M-14.5 3 C-13.5 13 -6 17 0 17 C6 17 13.5 13 14.5 3 C11 9.5 6 11.5 0 11.5 C-6 11.5 -11 9.5 -14.5 3 Z"
            opacity="0.28"
          />
          {STUBBLE_DOTS.map(([x, y]) => (
            <circle key={`${x},${y}`} cx={x} cy={y} r="0.45" opacity="0.55" />
          ))}
        </g>
      );
    case "full":
      return (
        <path
          d="M-16.4 0 C-16.8 13 -9 21.5 0 21.5 C9 21.5 16.8 13 16.4 0 C14 5 10 6.2 6.5 6 C4 6 2 5.2 0 5.6 C-2 5.2 -4 6 -6.5 6 C-10 6.2 -14 5 -16.4 0 Z M-4.2 9.2 Q0 12.8 4.2 9.2 Q0 10.5 -4.2 9.2 Z"
          fill={color}
          fillRule="evenodd"
        />
      );
    case "goatee":
      return (
        <g fill={color}>
          <path d="M-4 11.6 C-3.6 17.5 3.6 17.5 4 11.6 C2.5 12.8 -2.5 12.8 -4 11.6 Z" />
          <path d="M0 6.6 C-2 5.2 -5 5.6 -6 7.6 C-4 7 -2 7.7 0 7.5 C2 7.7 4 7 6 7.6 C5 5.6 2 5.2 0 6.6 Z" />
        </g>
      );
    case "mustache":
      return (
        <path
          d="M0 6.4 C-2.2 4.6 -6.2 4.8 -7.6 7.8 C-5.5 7 -3 7.9 0 7.5 C3 7.9 5.5 7 7.6 7.8 C6.2 4.8 2.2 4.6 0 6.4 Z"
          fill={color}
        />
      );
  }
}

const STUBBLE_DOTS: readonly (readonly [number, number])[] = [
  [-9, 11],
  [-6, 13],
  [-3, 14.5],
  [0, 15],
  [3, 14.5],
  [6, 13],
  [9, 11],
  [-4.5, 11.8],
  [4.5, 11.8],
  [-11, 8],
  [11, 8],
];

/** Accessories worn on the head: drawn over hair and hats. */
export function HeadAccessory({ accessory }: { accessory: Accessory }): ReactElement | null {
  switch (accessory) {
    case "glasses":
      return (
        <g fill="#ffffff" fillOpacity="0.18" stroke="#2c2535" strokeWidth="1.3">
          <circle cx="-6" cy="2" r="4.8" />
          <circle cx="6" cy="2" r="4.8" />
          <path d="M-1.2 1.4 Q0 0.4 1.2 1.4 M-10.8 1 L-15.5 -0.5 M10.8 1 L15.5 -0.5" fill="none" />
        </g>
      );
    case "headphones":
      return (
        <g>
          <path d="M-17.5 1 C-19 -24 19 -24 17.5 1" stroke="#3b3f55" strokeWidth="3" fill="none" strokeLinecap="round" />
          <rect x="-21.5" y="-5" width="7" height="13" rx="3.2" fill="#3b3f55" />
          <rect x="14.5" y="-5" width="7" height="13" rx="3.2" fill="#3b3f55" />
          <rect x="-20" y="-3" width="2.2" height="9" rx="1.1" fill="#ff7a59" />
          <rect x="17.8" y="-3" width="2.2" height="9" rx="1.1" fill="#ff7a59" />
        </g>
      );
    case "earrings":
      return (
        <g fill="#f7c948" stroke="#c8902a" strokeWidth="0.5">
          <circle cx={-HEAD_R} cy="8" r="1.8" />
          <circle cx={HEAD_R} cy="8" r="1.8" />
        </g>
      );
    case "none":
    case "bowtie":
    case "tie":
      return null;
  }
}

/** Accessories worn on the body, in body coordinates (collar at y = -24). */
export function BodyAccessory({ accessory, shirt }: { accessory: Accessory; shirt: string }): ReactElement | null {
  const accent = luminance(shirt) > 0.55 ? "#37406b" : "#f0564a";
  switch (accessory) {
    case "bowtie":
      return (
        <g transform="translate(0 -21.5)">
          <path d="M0 0 L-6 -3.4 L-6 3.4 Z M0 0 L6 -3.4 L6 3.4 Z" fill={accent} strokeLinejoin="round" stroke={accent} strokeWidth="1" />
          <circle r="1.8" fill={shade(accent, -0.2)} />
        </g>
      );
    case "tie":
      return (
        <g>
          <path d="M-2.2 -22.5 L2.2 -22.5 L1.4 -20 L-1.4 -20 Z" fill={shade(accent, -0.2)} />
          <path d="M-1.4 -20 L1.4 -20 L3 -6 L0 -2.5 L-3 -6 Z" fill={accent} />
          <path d="M-1.8 -14 L1.8 -16 M-2.4 -9 L2.4 -11" stroke={shade(accent, 0.35)} strokeWidth="0.9" />
        </g>
      );
    case "none":
    case "glasses":
    case "headphones":
    case "earrings":
      return null;
  }
}
