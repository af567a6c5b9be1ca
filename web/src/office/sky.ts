/** Pure time-of-day helpers for the wall clock and the window: hand angles and the moon's phase. */

export interface ClockHands {
  /** Degrees clockwise from 12. */
  hour: number;
  minute: number;
}

/** Hand angles for local time at `now` (epoch ms). */
export function clockHands(now: number): ClockHands {
  const d = new Date(now);
  const minutes = d.getMinutes() + d.getSeconds() / 60;
  const hours = (d.getHours() % 12) + minutes / 60;
  return { hour: hours * 30, minute: minutes * 6 };
}

const SYNODIC_MONTH_MS = 29.530588853 * 86_400_000;
/** A known new moon: 2000-01-06 18:14 UTC. */
const NEW_MOON_EPOCH_MS = Date.UTC(2000, 0, 6, 18, 14);

/** Fraction of the lunar cycle at `now`: 0 new, 0.25 first quarter, 0.5 full, 0.75 last quarter. */
export function moonPhase(now: number): number {
  const cycles = (now - NEW_MOON_EPOCH_MS) / SYNODIC_MONTH_MS;
  return cycles - Math.floor(cycles);
}

/**
 * SVG path of the lit part of a moon of radius `r` centred on the origin, for phase `p`
 * (northern-hemisphere view: waxing lit on the right). Empty near new moon.
 */
export function moonLitPath(p: number, r: number): string {
  const phase = p - Math.floor(p);
  const lit = (1 - Math.cos(2 * Math.PI * phase)) / 2;
  if (lit < 0.02) return "";
  const rx = Math.abs(Math.cos(2 * Math.PI * phase)) * r;
  const waxing = phase < 0.5;
  const gibbous = lit > 0.5;
  const f = (n: number) => Math.round(n * 100) / 100;
  // Right limb from top to bottom, then the terminator back to the top; mirrored when waning.
  const limbSweep = waxing ? 1 : 0;
  const terminatorSweep = waxing === gibbous ? 1 : 0;
  return `M0 ${f(-r)} A${f(r)} ${f(r)} 0 0 ${limbSweep} 0 ${f(r)} A${f(rx)} ${f(r)} 0 0 ${terminatorSweep} 0 ${f(-r)} Z`;
}
