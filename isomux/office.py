"""The office actor: rooms, agents' settings, office and room prompts and env files, recent cwds.

Accepts: :class:`Do` (an office command from a person), :class:`GetSetup` (what an agent
needs to start a session), :class:`GetAgent`, :class:`ListAgents`, :class:`NoteTopic`.
Emits: ``OfficeChanged``, ``RoomsChanged``, ``AgentAdded/Updated/Removed`` and
``RecentCwdsChanged`` to the hub; starts and stops agent actors.
Owns: ``agents.json``, ``office.json``, ``recent-cwds.json`` and ``agents-summary.json``.

Restart: permanent. A corrupt ``agents.json`` or ``office.json`` stops the start with an
explanation and leaves the file untouched. Shutdown: nothing to flush (every change is
written before it is acknowledged).
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
from pathlib import Path
from typing import Any

import attrs
import trio

from isomux import wire
from isomux.actors import ActorContext, Reply, serve, start_child, stop_child
from isomux.domain import commands as c
from isomux.domain.events import (
    AgentAdded,
    AgentRemoved,
    AgentUpdated,
    OfficeChanged,
    RecentCwdsChanged,
    RoomsChanged,
)
from isomux.domain.ids import new_id, now_ms
from isomux.domain.model import DESKS_PER_ROOM, AgentSpec, OfficeSettings, Room
from isomux.envfile import load_env_file
from isomux.errors import Conflict, CorruptFile, InvalidInput, NotFound
from isomux.hub import Publish
from isomux.outfits import random_outfit
from isomux.prompt import build_system_prompt
from isomux.services import Services
from isomux.store.atomic import read_json, write_json_atomic
from isomux.tokens import agent_token

log = logging.getLogger("isomux.office")

MAX_RECENT_CWDS = 20
_ADVICE = (
    "Isomux will not start over it, so nothing is lost: fix the file, restore it from a backup, "
    "or move it aside to start with an empty office."
)


@attrs.frozen(eq=False)
class Do:
    command: Any
    reply: Reply[Any]


@attrs.frozen(kw_only=True)
class Setup:
    """Everything an agent needs to open a session."""

    agent: AgentSpec
    room: Room
    system_prompt: str
    env: dict[str, str]


@attrs.frozen(eq=False)
class GetSetup:
    agent_id: str
    reply: Reply[Setup]


@attrs.frozen(eq=False)
class GetAgent:
    agent_id: str
    reply: Reply[AgentSpec]


@attrs.frozen(eq=False)
class ListAgents:
    reply: Reply[tuple[AgentSpec, ...]]


@attrs.frozen(eq=False)
class NoteTopic:
    agent_id: str
    topic: str | None


OfficeMsg = Do | GetSetup | GetAgent | ListAgents | NoteTopic


def resolve_cwd(text: str) -> Path:
    """A working directory as a person typed it → an existing directory, or a clear error."""
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise InvalidInput(f"the working directory {text!r} must be an absolute path")
    if not path.exists():
        raise InvalidInput(f"the working directory {path} does not exist")
    if not path.is_dir():
        raise InvalidInput(f"{path} is not a directory")
    if not os.access(path, os.R_OK | os.X_OK):
        raise InvalidInput(f"the working directory {path} cannot be opened (permission denied)")
    return path


def load_state(services: Services) -> tuple[OfficeSettings, list[Room], dict[str, AgentSpec], list[str]]:
    """Read the office's files; raise ``CorruptFile`` (touching nothing) when one is damaged."""
    layout = services.layout

    def read(path: Path) -> Any:
        return read_json(path, advice=_ADVICE)

    def shaped(path: Path, data: Any, key: str, cls: Any) -> Any:
        if not isinstance(data, dict) or key not in data:
            raise CorruptFile(path, f"it has no {key!r} field", advice=_ADVICE)
        try:
            return wire.structure(data[key], cls)
        except InvalidInput as exc:
            raise CorruptFile(path, str(exc), advice=_ADVICE) from None

    settings = OfficeSettings()
    data = read(layout.office_json)
    if data is not None:
        settings = shaped(layout.office_json, data, "settings", OfficeSettings)
    rooms: list[Room] = []
    agents: dict[str, AgentSpec] = {}
    data = read(layout.agents_json)
    if data is not None:
        rooms = list(shaped(layout.agents_json, data, "rooms", tuple[Room, ...]))
        agents = {a.id: a for a in shaped(layout.agents_json, data, "agents", tuple[AgentSpec, ...])}
        room_ids = {r.id for r in rooms}
        for agent in agents.values():
            if agent.room_id not in room_ids:
                raise CorruptFile(
                    layout.agents_json, f"agent {agent.name} is in a room that does not exist", advice=_ADVICE
                )
    cwds: list[str] = []
    data = read(layout.recent_cwds_json)
    if data is not None:
        cwds = list(shaped(layout.recent_cwds_json, data, "cwds", tuple[str, ...]))
    return settings, rooms, agents, cwds


class Office:
    def __init__(self, services: Services) -> None:
        self.s = services
        self.settings, self.rooms, self.agents, self.cwds = load_state(services)
        self.topics: dict[str, str | None] = {}
        if not self.rooms:
            self.rooms = [Room(id=new_id("r"), name="Room 1")]

    # Persistence -------------------------------------------------------------------

    async def _save_agents(self) -> None:
        data = {
            "version": 1,
            "rooms": wire.unstructure(tuple(self.rooms), tuple[Room, ...]),
            "agents": wire.unstructure(tuple(self.agents.values()), tuple[AgentSpec, ...]),
        }
        await trio.to_thread.run_sync(write_json_atomic, self.s.layout.agents_json, data)
        await self._save_summary()

    async def _save_summary(self) -> None:
        names = {r.id: (i + 1, r.name) for i, r in enumerate(self.rooms)}
        summary = [
            {
                "id": a.id,
                "name": a.name,
                "room": names[a.room_id][0],
                "roomName": names[a.room_id][1],
                "roomId": a.room_id,
                "desk": a.desk,
                "topic": self.topics.get(a.id),
                "cwd": a.cwd,
                "backend": a.backend,
                "model": a.model,
                "logDir": str(self.s.layout.agent_dir(a.id)),
            }
            for a in self.agents.values()
        ]
        await trio.to_thread.run_sync(write_json_atomic, self.s.layout.summary_json, summary)

    async def _save_office(self) -> None:
        data = {"version": 1, "settings": wire.unstructure(self.settings)}
        await trio.to_thread.run_sync(write_json_atomic, self.s.layout.office_json, data)

    async def _note_cwd(self, cwd: str) -> None:
        self.cwds = [cwd, *[x for x in self.cwds if x != cwd]][:MAX_RECENT_CWDS]
        await trio.to_thread.run_sync(
            write_json_atomic, self.s.layout.recent_cwds_json, {"version": 1, "cwds": self.cwds}
        )
        await self._publish(RecentCwdsChanged(cwds=tuple(self.cwds)))

    async def _publish(self, event: Any) -> None:
        await self.s.hub.tell(Publish(event))

    async def publish_all(self) -> None:
        await self._publish(OfficeChanged(settings=self.settings))
        await self._publish(RoomsChanged(rooms=tuple(self.rooms)))
        await self._publish(RecentCwdsChanged(cwds=tuple(self.cwds)))
        for agent in self.agents.values():
            await self._publish(AgentAdded(agent=agent))

    # Lookups -----------------------------------------------------------------------------

    def agent(self, agent_id: str) -> AgentSpec:
        found = self.agents.get(agent_id)
        if found is None:
            raise NotFound(f"there is no agent {agent_id!r}")
        return found

    def room(self, room_id: str) -> Room:
        for room in self.rooms:
            if room.id == room_id:
                return room
        raise NotFound(f"there is no room {room_id!r}")

    def _check_name(self, name: str, *, except_id: str | None = None) -> None:
        for other in self.agents.values():
            if other.id != except_id and other.name.casefold() == name.casefold():
                raise Conflict(f"an agent called {other.name} already works here; choose another name")

    def _free_desks(self, room_id: str, *, except_id: str | None = None) -> list[int]:
        taken = {a.desk for a in self.agents.values() if a.room_id == room_id and a.id != except_id}
        return [d for d in range(DESKS_PER_ROOM) if d not in taken]

    def _place(self, room_id: str | None, desk: int | None, *, except_id: str | None = None) -> tuple[str, int]:
        """A free desk: the one asked for, else the first free one (in the room asked for, else in any room)."""
        candidates = [self.room(room_id)] if room_id is not None else self.rooms
        for room in candidates:
            free = self._free_desks(room.id, except_id=except_id)
            if desk is not None and desk in free:
                return room.id, desk
            if desk is not None and room_id is not None:
                raise Conflict(f"desk {desk + 1} in {room.name} is taken")
            if desk is None and free:
                return room.id, free[0]
        if desk is not None:
            raise Conflict(f"desk {desk + 1} is taken in every room")
        where = candidates[0].name if room_id is not None else "any room"
        raise Conflict(f"there is no free desk in {where}; create a room or move someone")

    def _check_backend(self, kind: str) -> None:
        backend = self.s.backends.get(kind)
        if backend is None:
            raise InvalidInput(f"unknown backend {kind!r}; choose one of {', '.join(self.s.backends)}")
        if not backend.info.available:
            raise InvalidInput(f"the {backend.info.label} backend is not available: {backend.info.problem}")

    # Agent setup -----------------------------------------------------------------------------

    async def setup(self, agent_id: str) -> Setup:
        agent = self.agent(agent_id)
        room = self.room(agent.room_id)
        env = dict(os.environ)
        for path in (self.settings.env_file, room.env_file):
            if path:
                env.update(await trio.to_thread.run_sync(load_env_file, path))
        env.update(
            {
                "ISOMUX_URL": self.s.agent_url(),
                "ISOMUX_AGENT_ID": agent.id,
                "ISOMUX_TOKEN": agent_token(self.s.secret, agent.id),
                "ISOMUX_HOME": str(self.s.layout.home),
            }
        )
        prompt = build_system_prompt(
            agent, room, self.settings, home=str(self.s.layout.home), log_dir=str(self.s.layout.agent_dir(agent.id))
        )
        return Setup(agent=agent, room=room, system_prompt=prompt, env=env)

    # Commands ----------------------------------------------------------------------------------

    async def handle(self, msg: OfficeMsg) -> None:
        if isinstance(msg, Do):
            msg.reply.send(await self.run(msg.command))
        elif isinstance(msg, GetSetup):
            msg.reply.send(await self.setup(msg.agent_id))
        elif isinstance(msg, GetAgent):
            msg.reply.send(self.agent(msg.agent_id))
        elif isinstance(msg, ListAgents):
            msg.reply.send(tuple(self.agents.values()))
        elif msg.agent_id in self.agents and self.topics.get(msg.agent_id) != msg.topic:
            self.topics[msg.agent_id] = msg.topic
            await self._save_summary()

    async def run(self, cmd: Any) -> Any:
        if isinstance(cmd, c.SpawnAgent):
            return await self.spawn(cmd)
        if isinstance(cmd, c.EditAgent):
            return await self.edit(cmd)
        if isinstance(cmd, c.KillAgent):
            return await self.kill(cmd.agent_id)
        if isinstance(cmd, c.MoveAgent):
            return await self.move(cmd)
        if isinstance(cmd, c.SwapDesks):
            return await self.swap(cmd)
        if isinstance(cmd, c.ValidateCwd):
            return {"ok": True, "path": str(await trio.to_thread.run_sync(resolve_cwd, cmd.cwd))}
        if isinstance(cmd, c.ValidateEnvFile):
            values = await trio.to_thread.run_sync(load_env_file, cmd.path)
            return {"ok": True, "keyCount": len(values)}
        if isinstance(cmd, c.UpdateOffice):
            return await self.update_office(cmd)
        return await self.run_room(cmd)

    async def spawn(self, cmd: c.SpawnAgent) -> AgentSpec:
        self._check_name(cmd.name)
        self._check_backend(cmd.backend)
        cwd = await trio.to_thread.run_sync(resolve_cwd, cmd.cwd)
        room_id, desk = self._place(cmd.room_id, cmd.desk)
        backend = self.s.backends[cmd.backend].info
        effort = cmd.effort if cmd.effort in backend.efforts else backend.efforts[-1]
        agent = AgentSpec(
            id=new_id("a"),
            name=cmd.name,
            room_id=room_id,
            desk=desk,
            cwd=str(cwd),
            backend=cmd.backend,
            model=cmd.model or backend.default_model,
            effort=effort,
            permission_mode=cmd.permission_mode,
            prompt=cmd.prompt,
            outfit=cmd.outfit or random_outfit(random.Random()),
            accept_agent_messages=cmd.accept_agent_messages,
            created_at=now_ms(),
        )
        self.agents[agent.id] = agent
        await self._save_agents()
        from isomux.agent import agent_child  # the agent module needs the office's messages

        await start_child(self.s.agents, agent_child(self.s, agent.id))
        await self._publish(AgentAdded(agent=agent))
        await self._note_cwd(cmd.cwd)
        return agent

    async def edit(self, cmd: c.EditAgent) -> AgentSpec:
        agent = self.agent(cmd.agent_id)
        ch = cmd.changes
        updates: dict[str, Any] = {k: v for k, v in attrs.asdict(ch, recurse=False).items() if v is not None}
        if "name" in updates:
            self._check_name(updates["name"], except_id=agent.id)
        if "cwd" in updates:
            updates["cwd"] = str(await trio.to_thread.run_sync(resolve_cwd, updates["cwd"]))
        if "effort" in updates and updates["effort"] not in self.s.backends[agent.backend].info.efforts:
            raise InvalidInput(f"effort {updates['effort']} is not offered by the {agent.backend} backend")
        updated = attrs.evolve(agent, **updates)
        if updated == agent:
            return agent
        return await self._replace(updated, cwd_typed=ch.cwd)

    async def _replace(self, updated: AgentSpec, *, cwd_typed: str | None = None) -> AgentSpec:
        from isomux.agent import SpecChanged

        self.agents[updated.id] = updated
        await self._save_agents()
        await self._publish(AgentUpdated(agent=updated))
        handle = await self._agent_handle(updated.id)
        if handle is not None:
            await handle.tell(SpecChanged(updated))
        if cwd_typed:
            await self._note_cwd(cwd_typed)
        return updated

    async def _agent_handle(self, agent_id: str) -> Any:
        from isomux.actors import child_handle

        try:
            return await child_handle(self.s.agents, f"agent:{agent_id}")
        except NotFound:
            return None

    async def kill(self, agent_id: str) -> None:
        from isomux.router import Forget

        agent = self.agent(agent_id)
        with contextlib.suppress(NotFound):
            await stop_child(self.s.agents, f"agent:{agent.id}")
        del self.agents[agent.id]
        self.topics.pop(agent.id, None)
        await self._save_agents()
        await self.s.router.tell(Forget(agent.id))
        await self._publish(AgentRemoved(agent_id=agent.id))

    async def move(self, cmd: c.MoveAgent) -> AgentSpec:
        agent = self.agent(cmd.agent_id)
        room_id, desk = self._place(cmd.room_id, cmd.desk, except_id=agent.id)
        return await self._replace(attrs.evolve(agent, room_id=room_id, desk=desk))

    async def swap(self, cmd: c.SwapDesks) -> None:
        self.room(cmd.room_id)
        if cmd.desk_a == cmd.desk_b:
            return
        at = {a.desk: a for a in self.agents.values() if a.room_id == cmd.room_id}
        first, second = at.get(cmd.desk_a), at.get(cmd.desk_b)
        if first is None and second is None:
            raise InvalidInput("both desks are empty")
        for agent, desk in ((first, cmd.desk_b), (second, cmd.desk_a)):
            if agent is not None:
                self.agents[agent.id] = attrs.evolve(agent, desk=desk)
        await self._save_agents()
        for agent in (first, second):
            if agent is not None:
                await self._publish(AgentUpdated(agent=self.agents[agent.id]))

    async def update_office(self, cmd: c.UpdateOffice) -> OfficeSettings:
        if cmd.env_file:
            await trio.to_thread.run_sync(load_env_file, cmd.env_file)
        changes = {k: v for k, v in (("prompt", cmd.prompt), ("env_file", cmd.env_file)) if v is not None}
        self.settings = attrs.evolve(self.settings, **changes)
        await self._save_office()
        await self._publish(OfficeChanged(settings=self.settings))
        return self.settings

    async def run_room(self, cmd: Any) -> Any:
        if isinstance(cmd, c.CreateRoom):
            taken = {r.name.casefold() for r in self.rooms}
            name = cmd.name or next(f"Room {n}" for n in range(1, 10_000) if f"room {n}" not in taken)
            if name.casefold() in taken:
                raise Conflict(f"there is already a room called {name}")
            room = Room(id=new_id("r"), name=name)
            self.rooms.append(room)
            result: Any = room
        elif isinstance(cmd, c.RenameRoom):
            room = self.room(cmd.room_id)
            if any(r.name.casefold() == cmd.name.casefold() and r.id != room.id for r in self.rooms):
                raise Conflict(f"there is already a room called {cmd.name}")
            result = self._swap_room(attrs.evolve(room, name=cmd.name))
        elif isinstance(cmd, c.ReorderRooms):
            by_id = {r.id: r for r in self.rooms}
            if sorted(cmd.order) != sorted(by_id):
                raise InvalidInput("the new order must list every room exactly once")
            self.rooms = [by_id[i] for i in cmd.order]
            result = None
        elif isinstance(cmd, c.CloseRoom):
            room = self.room(cmd.room_id)
            if any(a.room_id == room.id for a in self.agents.values()):
                raise Conflict(f"{room.name} still has agents; move them out first")
            if len(self.rooms) == 1:
                raise Conflict("the office needs at least one room")
            self.rooms.remove(room)
            result = None
        elif isinstance(cmd, c.UpdateRoom):
            room = self.room(cmd.room_id)
            if cmd.env_file:
                await trio.to_thread.run_sync(load_env_file, cmd.env_file)
            changes = {k: v for k, v in (("prompt", cmd.prompt), ("env_file", cmd.env_file)) if v is not None}
            result = self._swap_room(attrs.evolve(room, **changes))
        else:
            raise InvalidInput(f"the office does not handle {type(cmd).__name__}")
        await self._save_agents()
        await self._publish(RoomsChanged(rooms=tuple(self.rooms)))
        return result

    def _swap_room(self, room: Room) -> Room:
        self.rooms = [room if r.id == room.id else r for r in self.rooms]
        return room

    async def start_agents(self) -> None:
        from isomux.agent import agent_child

        for agent in self.agents.values():
            await start_child(self.s.agents, agent_child(self.s, agent.id))


async def run_office(
    ctx: ActorContext[OfficeMsg], *, services: Services, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
) -> None:
    office = await trio.to_thread.run_sync(Office, services)
    if not services.layout.agents_json.exists():
        await office._save_agents()
    else:
        await office._save_summary()
    await office.publish_all()
    task_status.started()
    await office.start_agents()
    await serve(ctx, office.handle)


__all__ = ["Do", "GetAgent", "GetSetup", "ListAgents", "NoteTopic", "Office", "Setup", "run_office"]
