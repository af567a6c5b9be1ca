/**
 * Other people in a chat: who else has it open ("Bob · Phone is here"), who is typing to the
 * agent, and a banner when two people steer the same busy agent at once. The banner informs;
 * it never blocks sending.
 */

import type { ReactElement } from "react";
import { GhostBadge } from "../office";
import type { QueuedMessage, Visitor } from "../protocol";
import { hereSentence, personHue, steering, steeringText, typingSentence, visitorLabel, visitorsOf } from "../store/presence";
import { shallowEqual, useAppState } from "../store/store";

const NO_MESSAGES: QueuedMessage[] = [];

function sameVisitors(a: Visitor[], b: Visitor[]): boolean {
  return a.length === b.length && a.every((v, i) => shallowEqual(v, b[i]));
}

export function useVisitors(agentId: string): Visitor[] {
  return useAppState((s) => visitorsOf(s.ui.presence, agentId), sameVisitors);
}

/** The line under the chat's title: a ghost per other browser here, then who is here and who types. */
export function ChatPresence({ agentId }: { agentId: string }): ReactElement | null {
  const visitors = useVisitors(agentId);
  if (visitors.length === 0) return null;
  const typing = typingSentence(visitors);
  return (
    <div className="chat-presence" aria-live="polite">
      <span className="chat-presence-ghosts" aria-hidden="true">
        {visitors.slice(0, 4).map((v) => (
          <span key={v.id} title={visitorLabel(v)}>
            <GhostBadge hue={personHue(v.name)} typing={v.typing} size={20} />
          </span>
        ))}
      </span>
      <span className="chat-presence-here">{hereSentence(visitors)}</span>
      {typing && <span className="chat-presence-typing">{typing}</span>}
    </div>
  );
}

/** Two different people steering one busy agent: say so, plainly, above the message box. */
export function SteeringBanner({ agentId, agentName, busy }: { agentId: string; agentName: string; busy: boolean }): ReactElement | null {
  const queue = useAppState((s) => s.server.queues[agentId] ?? NO_MESSAGES);
  const visitors = useVisitors(agentId);
  const me = useAppState((s) => s.ui.me);
  const typing = useAppState((s) => s.ui.typing);
  const warning = steering({ agentId, busy, queue, presence: visitors, me, typing });
  if (warning === null) return null;
  return (
    <div className={`steering steering--${warning.kind}`} role="status" data-steering={warning.kind}>
      <span className="steering-icon" aria-hidden="true">
        ⚠
      </span>
      <span>{steeringText(warning, agentName)}</span>
    </div>
  );
}
