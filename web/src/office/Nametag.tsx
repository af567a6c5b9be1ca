/**
 * The label under a desk: "N · name" with a status light, a queued-messages badge and the topic.
 * Labels live in their own layer above all furniture so they always stay readable.
 */

import { memo, type ReactElement } from "react";
import { estimateTextWidth, labelAnchor } from "./geometry";
import { deskNumber, ellipsize, lightPulses, modelFamily, type LightColor } from "./status";
import { StatusLight } from "./StatusLight";
import { MODEL_ACCENT, palette } from "./theme";
import type { DeskAgent } from "./types";

const NAME_SIZE = 12.5;
const TOPIC_SIZE = 10.5;

interface NametagProps {
  agent: DeskAgent;
  light: LightColor;
  dark: boolean;
  /** Narrow screens get bigger text and no topic line. */
  compact: boolean;
  /** Clicking the topic opens the agent, like clicking its desk. */
  onOpen(id: string): void;
}

function NametagImpl({ agent, light, dark, compact, onOpen }: NametagProps): ReactElement {
  const pal = palette(dark);
  const anchor = labelAnchor(agent.desk);
  const scale = compact ? 1.5 : 1;
  const name = `${deskNumber(agent.desk)} · ${ellipsize(agent.name, compact ? 12 : 18)}`;
  const textWidth = estimateTextWidth(name, NAME_SIZE, true);
  const width = textWidth + 30;
  const height = 20;
  const accent = MODEL_ACCENT[modelFamily(agent.model)];
  // Narrow screens have no room for topics; the desk's own tooltip still carries the full text.
  const topic = compact ? "" : (agent.topic?.trim() ?? "");
  const queuedText = agent.queued > 99 ? "99+" : String(agent.queued);
  const badgeR = queuedText.length > 1 ? 8 : 7;
  return (
    <g
      className={`nametag${agent.needsAttention ? " nametag--attention" : ""}`}
      transform={`translate(${anchor.x} ${anchor.y}) scale(${scale})`}
      aria-hidden="true"
    >
      {agent.needsAttention && (
        <rect className="nametag-halo" x={-width / 2 - 3} y={-height / 2 - 3} width={width + 6} height={height + 6} rx={(height + 6) / 2} fill="#ffb347" />
      )}
      <rect x={-width / 2} y={-height / 2} width={width} height={height} rx={height / 2} fill={pal.labelBg} stroke={accent} strokeWidth="1.6" />
      <StatusLight color={light} pulses={lightPulses(agent.state)} x={-width / 2 + 11} y={0} r={4} />
      <text x={-width / 2 + 20} y={4.3} fontSize={NAME_SIZE} fontWeight="700" fill={pal.labelText} className="office-text">
        {name}
      </text>
      {agent.queued > 0 && (
        <g transform={`translate(${width / 2 - 2} ${-height / 2 + 1})`} className="queued-badge">
          <title>{`${agent.queued} queued message${agent.queued === 1 ? "" : "s"}`}</title>
          <circle r={badgeR} fill="#ff7a45" stroke="#ffffff" strokeWidth="1.4" />
          <text y={3.3} textAnchor="middle" fontSize="9.5" fontWeight="800" fill="#ffffff" className="office-text">
            {queuedText}
          </text>
        </g>
      )}
      {topic !== "" && (
        <text
          className="nametag-topic office-text"
          y={height / 2 + 12}
          textAnchor="middle"
          fontSize={TOPIC_SIZE}
          fill={pal.labelMuted}
          stroke={dark ? "#10142a" : "#fff7ec"}
          onClick={() => onOpen(agent.id)}
        >
          <title>{topic}</title>
          {ellipsize(topic, 30)}
        </text>
      )}
    </g>
  );
}

export const Nametag = memo(NametagImpl);
