"""Commands: everything a person (browser or REST) or an agent can ask the office to do.

The WebSocket and the REST API build the same command objects and hand them to the
same dispatcher, so there is one validation path. Field validators run while the
command is built from JSON; what needs state (does the agent exist, is the desk
free) is checked by the actor that owns that state.

In the ``*Changes`` classes a field left at ``None`` is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs

from isomux.domain import checks
from isomux.domain.model import DESKS_PER_ROOM, Effort, Outfit, PermissionMode, Priority, TaskStatus

_desk = checks.int_range(0, DESKS_PER_ROOM - 1)


def _optional(validator: Callable[[Any, Any, Any], None]) -> Callable[[Any, Any, Any], None]:
    """Check the value only when it is not None."""

    def check(inst: Any, attr: Any, value: Any) -> None:
        if value is not None:
            validator(inst, attr, value)

    return check


@attrs.frozen(kw_only=True)
class AttachmentRef:
    """A file already uploaded for the agent (by name in its files directory)."""

    file: str = attrs.field(validator=checks.text(255, min_len=1))
    name: str | None = attrs.field(default=None, validator=checks.optional_text(200))  # as it was uploaded


# Agents ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SpawnAgent:
    name: str = attrs.field(validator=checks.name)
    room_id: str | None = None  # None: the first room with a free desk
    desk: int | None = attrs.field(default=None, validator=_optional(_desk))
    cwd: str = attrs.field(validator=checks.path_text)
    backend: str = attrs.field(default="demo", validator=checks.text(20, min_len=1))
    model: str = attrs.field(default="", validator=checks.text(100))
    effort: Effort = "high"
    permission_mode: PermissionMode = "default"
    prompt: str = attrs.field(default="", validator=checks.text(50_000, multiline=True))
    outfit: Outfit | None = None  # None: a random one
    accept_agent_messages: bool = True


@attrs.frozen(kw_only=True)
class AgentChanges:
    name: str | None = attrs.field(default=None, validator=_optional(checks.name))
    cwd: str | None = attrs.field(default=None, validator=_optional(checks.path_text))
    model: str | None = attrs.field(default=None, validator=checks.optional_text(100))
    effort: Effort | None = None
    permission_mode: PermissionMode | None = None
    prompt: str | None = attrs.field(default=None, validator=checks.optional_text(50_000, multiline=True))
    outfit: Outfit | None = None
    accept_agent_messages: bool | None = None


@attrs.frozen(kw_only=True)
class EditAgent:
    agent_id: str
    changes: AgentChanges


@attrs.frozen(kw_only=True)
class KillAgent:
    agent_id: str


@attrs.frozen(kw_only=True)
class MoveAgent:
    agent_id: str
    room_id: str
    desk: int | None = attrs.field(default=None, validator=_optional(_desk))


@attrs.frozen(kw_only=True)
class SwapDesks:
    room_id: str
    desk_a: int = attrs.field(validator=_desk)
    desk_b: int = attrs.field(validator=_desk)


# Rooms and office --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CreateRoom:
    name: str | None = attrs.field(default=None, validator=_optional(checks.name))


@attrs.frozen(kw_only=True)
class RenameRoom:
    room_id: str
    name: str = attrs.field(validator=checks.name)


@attrs.frozen(kw_only=True)
class ReorderRooms:
    order: tuple[str, ...]


@attrs.frozen(kw_only=True)
class CloseRoom:
    room_id: str


@attrs.frozen(kw_only=True)
class UpdateOffice:
    prompt: str | None = attrs.field(default=None, validator=checks.optional_text(50_000, multiline=True))
    env_file: str | None = attrs.field(default=None, validator=_optional(checks.path_text))


@attrs.frozen(kw_only=True)
class UpdateRoom:
    room_id: str
    prompt: str | None = attrs.field(default=None, validator=checks.optional_text(50_000, multiline=True))
    env_file: str | None = attrs.field(default=None, validator=_optional(checks.path_text))


@attrs.frozen(kw_only=True)
class ValidateCwd:
    cwd: str = attrs.field(validator=checks.path_text)


@attrs.frozen(kw_only=True)
class ValidateEnvFile:
    path: str = attrs.field(validator=checks.path_text)


# Messages and conversations -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SendMessage:
    agent_id: str
    text: str = attrs.field(validator=checks.text(200_000, min_len=1, multiline=True))
    attachments: tuple[AttachmentRef, ...] = ()


@attrs.frozen(kw_only=True)
class SendNow:
    """Deliver everything queued for the agent now, into its running turn."""

    agent_id: str


@attrs.frozen(kw_only=True)
class EditQueued:
    agent_id: str
    message_id: str
    text: str = attrs.field(validator=checks.text(200_000, min_len=1, multiline=True))


@attrs.frozen(kw_only=True)
class WithdrawQueued:
    agent_id: str
    message_id: str


@attrs.frozen(kw_only=True)
class Interrupt:
    agent_id: str


@attrs.frozen(kw_only=True)
class NewConversation:
    agent_id: str


@attrs.frozen(kw_only=True)
class ResumeSession:
    agent_id: str
    session_id: str


@attrs.frozen(kw_only=True)
class BranchFrom:
    """Edit a past message: the conversation forks just before it and continues with ``text``."""

    agent_id: str
    entry_id: str
    text: str = attrs.field(validator=checks.text(200_000, min_len=1, multiline=True))


@attrs.frozen(kw_only=True)
class AnswerPermission:
    agent_id: str
    request_id: str
    allow: bool
    message: str = attrs.field(default="", validator=checks.text(2000, multiline=True))


@attrs.frozen(kw_only=True)
class SetTopic:
    agent_id: str
    topic: str = attrs.field(validator=checks.text(80, min_len=1))


@attrs.frozen(kw_only=True)
class RegenerateTopic:
    agent_id: str


@attrs.frozen(kw_only=True)
class ListSessions:
    agent_id: str


@attrs.frozen(kw_only=True)
class GetLog:
    agent_id: str
    before: str | None = None
    limit: int = attrs.field(default=50, validator=checks.int_range(1, 500))


# Tasks ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CreateTask:
    title: str = attrs.field(validator=checks.text(300, min_len=1))
    description: str = attrs.field(default="", validator=checks.text(20_000, multiline=True))
    priority: Priority | None = None
    assignee: str | None = attrs.field(default=None, validator=checks.optional_text(60))


@attrs.frozen(kw_only=True)
class TaskChanges:
    title: str | None = attrs.field(default=None, validator=_optional(checks.text(300, min_len=1)))
    description: str | None = attrs.field(default=None, validator=checks.optional_text(20_000, multiline=True))
    priority: Literal["P0", "P1", "P2", "P3", "none"] | None = None  # "none" clears it
    status: TaskStatus | None = None
    assignee: str | None = attrs.field(default=None, validator=checks.optional_text(60))  # "" clears it


@attrs.frozen(kw_only=True)
class UpdateTask:
    task_id: str
    changes: TaskChanges


@attrs.frozen(kw_only=True)
class ClaimTask:
    task_id: str
    assignee: str | None = attrs.field(default=None, validator=checks.optional_text(60))


@attrs.frozen(kw_only=True)
class CompleteTask:
    task_id: str


@attrs.frozen(kw_only=True)
class DeleteTask:
    task_id: str


Command = (
    SpawnAgent
    | EditAgent
    | KillAgent
    | MoveAgent
    | SwapDesks
    | CreateRoom
    | RenameRoom
    | ReorderRooms
    | CloseRoom
    | UpdateOffice
    | UpdateRoom
    | ValidateCwd
    | ValidateEnvFile
    | SendMessage
    | SendNow
    | EditQueued
    | WithdrawQueued
    | Interrupt
    | NewConversation
    | ResumeSession
    | BranchFrom
    | AnswerPermission
    | SetTopic
    | RegenerateTopic
    | ListSessions
    | GetLog
    | CreateTask
    | UpdateTask
    | ClaimTask
    | CompleteTask
    | DeleteTask
)

COMMAND_TYPES: tuple[type, ...] = (
    SpawnAgent,
    EditAgent,
    KillAgent,
    MoveAgent,
    SwapDesks,
    CreateRoom,
    RenameRoom,
    ReorderRooms,
    CloseRoom,
    UpdateOffice,
    UpdateRoom,
    ValidateCwd,
    ValidateEnvFile,
    SendMessage,
    SendNow,
    EditQueued,
    WithdrawQueued,
    Interrupt,
    NewConversation,
    ResumeSession,
    BranchFrom,
    AnswerPermission,
    SetTopic,
    RegenerateTopic,
    ListSessions,
    GetLog,
    CreateTask,
    UpdateTask,
    ClaimTask,
    CompleteTask,
    DeleteTask,
)
