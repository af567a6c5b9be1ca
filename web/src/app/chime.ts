/**
 * A short two-note chime (WebAudio, no sound file) for when an agent finishes while the tab is
 * hidden. Browsers only allow audio after a gesture, so the first click or key unlocks it.
 */

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context !== null) return context;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (Ctor === undefined) return null;
  try {
    context = new Ctor();
  } catch {
    return null;
  }
  return context;
}

export function unlockAudioOnGesture(): () => void {
  const unlock = () => {
    void audio()?.resume();
    window.removeEventListener("pointerdown", unlock);
    window.removeEventListener("keydown", unlock);
  };
  window.addEventListener("pointerdown", unlock);
  window.addEventListener("keydown", unlock);
  return unlock;
}

export function playChime(): void {
  const ctx = audio();
  if (ctx === null || ctx.state !== "running") return;
  const start = ctx.currentTime;
  [784, 587].forEach((frequency, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = frequency;
    const at = start + i * 0.16;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.18, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 0.32);
  });
}
