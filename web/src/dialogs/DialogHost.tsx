/** Shows whichever dialog is open. */

import type { ReactElement } from "react";
import type { DialogRequest } from "../app/context";
import { AgentDialog } from "./AgentDialog";
import { KillDialog } from "./KillDialog";
import { PeopleDialog } from "./PeopleDialog";
import { RoomDialog } from "./RoomDialog";
import { RulesDialog } from "./RulesDialog";
import { SessionsDialog } from "./SessionsDialog";

export function DialogHost({ request }: { request: DialogRequest | null }): ReactElement | null {
  if (request === null) return null;
  switch (request.kind) {
    case "spawn":
      return <AgentDialog key={`spawn-${request.roomId}-${request.desk}`} mode="spawn" roomId={request.roomId} desk={request.desk} />;
    case "edit":
      return <AgentDialog key={`edit-${request.agentId}`} mode="edit" agentId={request.agentId} />;
    case "kill":
      return <KillDialog agentId={request.agentId} />;
    case "room":
      return <RoomDialog key={request.roomId} roomId={request.roomId} />;
    case "rules":
      return <RulesDialog />;
    case "people":
      return <PeopleDialog />;
    case "sessions":
      return <SessionsDialog agentId={request.agentId} />;
  }
}
