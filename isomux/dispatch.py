"""One entry point for commands, shared by the WebSocket and the REST API.

It knows which actor owns what a command touches and asks that actor, with a deadline.
It holds no state and no business rules; the owners check everything that needs state.
Who is calling (a person on a device, or an agent) comes from the authentication layer,
never from the command itself, so sender labels cannot be forged by a client.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs
import trio

from isomux import wire
from isomux.actors import child_handle
from isomux.agent import Act
from isomux.domain import commands as c
from isomux.domain.model import AgentSpec, Attachment, QueuedMessage, Sender
from isomux.errors import Forbidden, InvalidInput, NotFound
from isomux.office import Do, GetAgent
from isomux.router import Amend, Enqueue, Flush, Withdraw
from isomux.services import Services
from isomux.taskboard import Caller as TaskCaller
from isomux.taskboard import DoTask
from isomux.uploads import find_attachment

ASK = 30.0

_OFFICE = (
    c.SpawnAgent,
    c.EditAgent,
    c.KillAgent,
    c.MoveAgent,
    c.SwapDesks,
    c.CreateRoom,
    c.RenameRoom,
    c.ReorderRooms,
    c.CloseRoom,
    c.UpdateOffice,
    c.UpdateRoom,
    c.ValidateCwd,
    c.ValidateEnvFile,
)
_TASKS = (c.CreateTask, c.UpdateTask, c.ClaimTask, c.CompleteTask, c.DeleteTask)
_AGENT = (
    c.Interrupt,
    c.NewConversation,
    c.ResumeSession,
    c.BranchFrom,
    c.AnswerPermission,
    c.SetTopic,
    c.RegenerateTopic,
    c.ListSessions,
    c.GetLog,
)


@attrs.frozen(kw_only=True)
class Caller:
    """Who is asking, as established by authentication (never by the request itself)."""

    kind: Literal["person", "agent"] = "person"
    name: str
    device: str | None = None
    agent_id: str | None = None
    role: Literal["owner", "member"] = "owner"
    member_id: str | None = None
    rooms: tuple[str, ...] | None = None  # None: every room
    source: Literal["session", "agent_token", "office_token", "admin", "internal"] = "internal"

    def sees(self, room_id: str) -> bool:
        return self.rooms is None or room_id in self.rooms

    @property
    def sender(self) -> Sender:
        return Sender(kind=self.kind, name=self.name, id=self.agent_id, device=self.device)


async def agent_handle(s: Services, agent_id: str) -> Any:
    try:
        return await child_handle(s.agents, f"agent:{agent_id}", timeout=ASK)
    except NotFound:
        raise NotFound(f"there is no agent {agent_id!r}") from None


async def dispatch(s: Services, caller: Caller, cmd: Any, *, key: str | None = None) -> Any:
    """Run one command for ``caller`` and return its result (plain JSON-ready data).

    ``key`` identifies the request (browser + request id): a message sent again with the same
    key, for example after a reconnect that lost the first answer, is not queued a second time.
    """
    return wire.unstructure(await _run(s, caller, cmd, key))


_OWNERS_ONLY = (
    c.CreateRoom,
    c.RenameRoom,
    c.ReorderRooms,
    c.CloseRoom,
    c.UpdateOffice,
    c.UpdateRoom,
    c.ValidateEnvFile,
)
_AGENT_TOOLS = (c.CreateTask, c.UpdateTask, c.ClaimTask, c.CompleteTask)


async def authorize(s: Services, caller: Caller, cmd: Any) -> None:
    """Refuse what this caller may not do: the rules of roles and rooms, in one place."""
    if caller.kind == "agent":
        if not isinstance(cmd, _AGENT_TOOLS):
            raise Forbidden("agent tokens can only use the task board and send messages")
        return
    if caller.role == "owner":
        return
    if isinstance(cmd, _OWNERS_ONLY):
        raise Forbidden("only the office's owners can change its rooms and settings")
    rooms: list[str] = []
    if isinstance(cmd, c.SpawnAgent):
        if cmd.room_id is None and caller.rooms is not None:
            raise InvalidInput("choose one of your rooms for the new agent")
        rooms.append(cmd.room_id or "")
    if isinstance(cmd, c.MoveAgent | c.SwapDesks):
        rooms.append(cmd.room_id)
    agent_id = getattr(cmd, "agent_id", None)
    if isinstance(agent_id, str):
        agent: AgentSpec = await s.office.ask(lambda r: GetAgent(agent_id, r), timeout=ASK)
        rooms.append(agent.room_id)
    for room in rooms:
        if room and not caller.sees(room):
            raise Forbidden("that room has not been shared with you")


async def _run(s: Services, caller: Caller, cmd: Any, key: str | None = None) -> Any:
    await authorize(s, caller, cmd)
    if isinstance(cmd, _OFFICE):
        return await s.office.ask(lambda r: Do(cmd, r), timeout=ASK)
    if isinstance(cmd, _TASKS):
        who = TaskCaller(name=caller.name, device=caller.device)
        return await s.tasks.ask(lambda r: DoTask(cmd, who, r), timeout=ASK)
    if isinstance(cmd, c.SendMessage):
        await s.office.ask(lambda r: GetAgent(cmd.agent_id, r), timeout=ASK)
        attachments = tuple([await _attachment(s, cmd.agent_id, ref.file, ref.name) for ref in cmd.attachments])
        return await enqueue(s, cmd.agent_id, caller.sender, cmd.text, attachments, key=key)
    if isinstance(cmd, c.SendNow):
        return {"delivered": await s.router.ask(lambda r: Flush(cmd.agent_id, r), timeout=ASK)}
    if isinstance(cmd, c.EditQueued):
        return await s.router.ask(lambda r: Amend(cmd.agent_id, cmd.message_id, cmd.text, r), timeout=ASK)
    if isinstance(cmd, c.WithdrawQueued):
        return await s.router.ask(lambda r: Withdraw(cmd.agent_id, cmd.message_id, r), timeout=ASK)
    if isinstance(cmd, _AGENT):
        handle = await agent_handle(s, cmd.agent_id)
        return await handle.ask(lambda r: Act(cmd, caller.sender, r), timeout=ASK)
    raise InvalidInput(f"unsupported command {type(cmd).__name__}")


async def _attachment(s: Services, agent_id: str, file: str, name: str | None) -> Attachment:
    found = await trio.to_thread.run_sync(find_attachment, s.layout, agent_id, file)
    return attrs.evolve(found, name=name) if name else found


async def enqueue(
    s: Services,
    agent_id: str,
    sender: Sender,
    text: str,
    attachments: tuple[Attachment, ...] = (),
    *,
    key: str | None = None,
) -> QueuedMessage:
    return await s.router.ask(lambda r: Enqueue(agent_id, sender, text, attachments, r, key), timeout=ASK)


async def agent_message(
    s: Services, caller: Caller, to_agent: str, text: str, sender_agent_id: str, sender_name: str | None = None
) -> QueuedMessage:
    """``POST /agents/:id/message``: an agent writes to another, here or in another office (no automatic reply)."""
    recipient: AgentSpec = await s.office.ask(lambda r: GetAgent(to_agent, r), timeout=ASK)
    if caller.source == "agent_token":
        if caller.agent_id != sender_agent_id:
            raise Forbidden("an agent can only send messages in its own name")
        sender_spec: AgentSpec = await s.office.ask(lambda r: GetAgent(sender_agent_id, r), timeout=ASK)
        if recipient.id == sender_spec.id:
            raise InvalidInput("an agent cannot send a message to itself")
        sender = Sender(kind="agent", name=sender_spec.name, id=sender_spec.id)
    elif caller.source == "office_token":
        who = (sender_name or sender_agent_id)[:40].replace("[", "(").replace("]", ")")
        sender = Sender(kind="agent", name=f"{who} @ {caller.name}", id=f"{caller.name}/{sender_agent_id}"[:120])
    else:
        raise Forbidden("this endpoint is for agents (with their ISOMUX_TOKEN); people send messages from the office")
    if not recipient.accept_agent_messages:
        raise Forbidden(f"{recipient.name} does not accept messages from other agents")
    return await enqueue(s, recipient.id, sender, text)
