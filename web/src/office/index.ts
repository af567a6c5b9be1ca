/** The office scene's public surface. */

export { CharacterPortrait, poseFor, type Pose } from "./Character";
export { ACCESSORIES, BEARDS, HAIR_COLORS, HAIR_STYLES, HATS, randomOutfit, seededRng, SHIRT_COLORS, SKIN_TONES, type Rng } from "./outfits";
export { GhostBadge } from "./Ghost";
export { Scene } from "./Scene";
export { deskAriaLabel, formatDuration, lightColor, LIGHT_HEX, type LightColor } from "./status";
export { StatusDot, StatusLight } from "./StatusLight";
export type { Accessory, AgentState, Beard, DeskAgent, DoorSide, HairStyle, Hat, Outfit, RoomView, SceneProps, SceneVisitor } from "./types";
