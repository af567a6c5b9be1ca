/** Choosing an agent's look: colour swatches, hats, hair, beards and accessories, with a live portrait. */

import type { ReactElement } from "react";
import { Icon } from "../app/icons";
import { ACCESSORIES, BEARDS, CharacterPortrait, HAIR_COLORS, HAIR_STYLES, HATS, randomOutfit, SHIRT_COLORS, SKIN_TONES, type Outfit } from "../office";

function Swatches({ label, colours, value, onPick }: { label: string; colours: readonly string[]; value: string; onPick(c: string): void }): ReactElement {
  return (
    <div className="outfit-row">
      <span className="outfit-label">{label}</span>
      <div className="swatches" role="radiogroup" aria-label={label}>
        {colours.map((colour) => (
          <button
            key={colour}
            type="button"
            role="radio"
            aria-checked={colour.toLowerCase() === value.toLowerCase()}
            aria-label={`${label} ${colour}`}
            className="swatch"
            style={{ background: colour }}
            onClick={() => onPick(colour)}
          />
        ))}
      </div>
    </div>
  );
}

function Choice<T extends string>({ label, options, value, onPick }: { label: string; options: readonly T[]; value: T; onPick(v: T): void }): ReactElement {
  return (
    <label className="outfit-row">
      <span className="outfit-label">{label}</span>
      <select value={value} onChange={(e) => onPick(e.target.value as T)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o === "none" ? "none" : o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function OutfitEditor({ outfit, onChange, name }: { outfit: Outfit; onChange(o: Outfit): void; name: string }): ReactElement {
  const set = <K extends keyof Outfit>(key: K) => (value: Outfit[K]) => onChange({ ...outfit, [key]: value });
  return (
    <div className="outfit">
      <div className="outfit-preview">
        <CharacterPortrait outfit={outfit} state="waiting" size={112} title={`${name || "New agent"}'s look`} />
        <button type="button" className="btn btn--soft btn--small" onClick={() => onChange(randomOutfit())}>
          <Icon name="refresh" size={15} /> Randomize
        </button>
      </div>
      <div className="outfit-controls">
        <Swatches label="Shirt" colours={SHIRT_COLORS} value={outfit.shirt} onPick={set("shirt")} />
        <Swatches label="Hair" colours={HAIR_COLORS} value={outfit.hair} onPick={set("hair")} />
        <Swatches label="Skin" colours={SKIN_TONES} value={outfit.skin} onPick={set("skin")} />
        <div className="outfit-grid">
          <Choice label="Hair style" options={HAIR_STYLES} value={outfit.hairStyle} onPick={set("hairStyle")} />
          <Choice label="Hat" options={HATS} value={outfit.hat} onPick={set("hat")} />
          <Choice label="Beard" options={BEARDS} value={outfit.beard} onPick={set("beard")} />
          <Choice label="Accessory" options={ACCESSORIES} value={outfit.accessory} onPick={set("accessory")} />
        </div>
      </div>
    </div>
  );
}
