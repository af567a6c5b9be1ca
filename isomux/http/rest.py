"""The office's REST API: thin handlers that parse, dispatch to the owning actor, and render.

Identification, origin checks, size limits and error responses are in :mod:`isomux.http.routes`.
"""

from __future__ import annotations

from typing import Any, cast

import trio
from quart import request
from quart_trio import QuartTrio

from isomux import wire
from isomux.dispatch import Caller, agent_message, dispatch
from isomux.domain import commands as c
from isomux.domain.events import Snapshot
from isomux.domain.model import Task
from isomux.errors import Forbidden, InvalidInput
from isomux.http.routes import AGENTS, PEOPLE, Route, body
from isomux.hub import GetSnapshot
from isomux.services import Services
from isomux.taskboard import GetTask, ListTasks
from isomux.uploads import store_upload


def install(app: QuartTrio, s: Services, route: Route) -> None:
    async def run(caller: Caller, cmd: Any) -> Any:
        return await dispatch(s, caller, cmd)

    def command(cls: Any, data: dict[str, Any], **extra: Any) -> Any:
        clash = set(data) & set(extra)
        if clash:
            raise InvalidInput(f"{', '.join(sorted(clash))} comes from the URL, not the body")
        return wire.structure({**data, **extra}, cls)

    # Health and state ---------------------------------------------------------------------

    async def snapshot(caller: Caller) -> Snapshot:
        rooms = None if caller.rooms is None else frozenset(caller.rooms)
        snap: Snapshot = await s.hub.ask(lambda r: GetSnapshot(r, rooms), timeout=10)
        return snap

    @route("/api/health", ["GET"], public=True)
    async def health(caller: Caller) -> Any:
        return {"ok": True}

    @route("/api/state", ["GET"])
    async def state(caller: Caller) -> Any:
        return wire.unstructure(await snapshot(caller))

    # Agents -----------------------------------------------------------------------------------

    @route("/api/agents", ["GET"], allow=PEOPLE | {"agent_token"})
    async def list_agents(caller: Caller) -> Any:
        snap = await snapshot(caller)
        return [{**wire.unstructure(a), "status": wire.unstructure(snap.statuses.get(a.id))} for a in snap.agents]

    @route("/api/agents", ["POST"], created=True)
    async def spawn_agent(caller: Caller) -> Any:
        return await run(caller, command(c.SpawnAgent, await body()))

    @route("/api/agents/<agent_id>", ["PATCH"])
    async def edit_agent(caller: Caller, agent_id: str) -> Any:
        changes = wire.structure(await body(), c.AgentChanges)
        return await run(caller, c.EditAgent(agent_id=agent_id, changes=changes))

    @route("/api/agents/<agent_id>", ["DELETE"])
    async def kill_agent(caller: Caller, agent_id: str) -> Any:
        return await run(caller, c.KillAgent(agent_id=agent_id))

    @route("/api/agents/<agent_id>/messages", ["POST"])
    async def send_message(caller: Caller, agent_id: str) -> Any:
        return await run(caller, command(c.SendMessage, await body(), agentId=agent_id))

    @route("/api/agents/<agent_id>/send-now", ["POST"])
    async def send_now(caller: Caller, agent_id: str) -> Any:
        return await run(caller, c.SendNow(agent_id=agent_id))

    @route("/api/agents/<agent_id>/queue", ["GET"])
    async def get_queue(caller: Caller, agent_id: str) -> Any:
        snap = await snapshot(caller)
        return wire.unstructure(snap.queues.get(agent_id, ()))

    @route("/api/agents/<agent_id>/queue/<message_id>", ["PATCH"])
    async def edit_queued(caller: Caller, agent_id: str, message_id: str) -> Any:
        return await run(caller, command(c.EditQueued, await body(), agentId=agent_id, messageId=message_id))

    @route("/api/agents/<agent_id>/queue/<message_id>", ["DELETE"])
    async def withdraw_queued(caller: Caller, agent_id: str, message_id: str) -> Any:
        return await run(caller, c.WithdrawQueued(agent_id=agent_id, message_id=message_id))

    @route("/api/agents/<agent_id>/interrupt", ["POST"])
    async def interrupt(caller: Caller, agent_id: str) -> Any:
        return await run(caller, c.Interrupt(agent_id=agent_id))

    @route("/api/agents/<agent_id>/new-conversation", ["POST"])
    async def new_conversation(caller: Caller, agent_id: str) -> Any:
        return await run(caller, c.NewConversation(agent_id=agent_id))

    @route("/api/agents/<agent_id>/resume", ["POST"])
    async def resume(caller: Caller, agent_id: str) -> Any:
        return await run(caller, command(c.ResumeSession, await body(), agentId=agent_id))

    @route("/api/agents/<agent_id>/branch", ["POST"])
    async def branch(caller: Caller, agent_id: str) -> Any:
        return await run(caller, command(c.BranchFrom, await body(), agentId=agent_id))

    @route("/api/agents/<agent_id>/permissions/<request_id>", ["POST"])
    async def answer(caller: Caller, agent_id: str, request_id: str) -> Any:
        return await run(caller, command(c.AnswerPermission, await body(), agentId=agent_id, requestId=request_id))

    @route("/api/agents/<agent_id>/topic", ["PUT"])
    async def set_topic(caller: Caller, agent_id: str) -> Any:
        return await run(caller, command(c.SetTopic, await body(), agentId=agent_id))

    @route("/api/agents/<agent_id>/sessions", ["GET"])
    async def sessions(caller: Caller, agent_id: str) -> Any:
        return await run(caller, c.ListSessions(agent_id=agent_id))

    @route("/api/agents/<agent_id>/log", ["GET"])
    async def get_log(caller: Caller, agent_id: str) -> Any:
        limit_text = request.args.get("limit", "50")
        if not limit_text.isdigit():
            raise InvalidInput("limit must be a whole number")
        return await run(
            caller, c.GetLog(agent_id=agent_id, before=request.args.get("before") or None, limit=int(limit_text))
        )

    @route("/api/agents/<agent_id>/move", ["POST"])
    async def move(caller: Caller, agent_id: str) -> Any:
        return await run(caller, command(c.MoveAgent, await body(), agentId=agent_id))

    @route("/api/upload/<agent_id>", ["POST"])
    async def upload(caller: Caller, agent_id: str) -> Any:
        request.max_content_length = 45 << 20
        files = await request.files
        if not files:
            raise InvalidInput("attach at least one file (multipart/form-data)")
        if len(files) > 5:
            raise InvalidInput("at most 5 files at a time")
        stored = []
        for storage in files.values():
            data = storage.read()
            stored.append(
                await trio.to_thread.run_sync(store_upload, s.layout, agent_id, storage.filename or "file", data)
            )
        return {"attachments": wire.unstructure(stored)}

    # Agent-to-agent ---------------------------------------------------------------------------

    @route("/agents/<agent_id>/message", ["POST"], allow=AGENTS)
    async def post_agent_message(caller: Caller, agent_id: str) -> Any:
        data = await body()
        text, sender, sender_name = data.get("text"), data.get("senderAgentId"), data.get("senderName")
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("text is required")
        if len(text) > 200_000:
            raise InvalidInput("text is too long (at most 200000 characters)")
        if not isinstance(sender, str):
            raise InvalidInput("senderAgentId is required (your own id, from $ISOMUX_AGENT_ID)")
        if sender_name is not None and not isinstance(sender_name, str):
            raise InvalidInput("senderName must be text")
        queued = await agent_message(s, caller, agent_id, text, sender, sender_name)
        return {"ok": True, "queued": wire.unstructure(queued)}

    # Rooms and office --------------------------------------------------------------------------

    @route("/api/rooms", ["GET"])
    async def rooms(caller: Caller) -> Any:
        return wire.unstructure((await snapshot(caller)).rooms)

    @route("/api/rooms", ["POST"], created=True)
    async def create_room(caller: Caller) -> Any:
        return await run(caller, command(c.CreateRoom, await body()))

    @route("/api/rooms/order", ["PUT"])
    async def reorder_rooms(caller: Caller) -> Any:
        return await run(caller, command(c.ReorderRooms, await body()))

    @route("/api/rooms/<room_id>", ["PATCH"])
    async def update_room(caller: Caller, room_id: str) -> Any:
        data = await body()
        result = None
        if "name" in data:
            result = await run(caller, c.RenameRoom(room_id=room_id, name=wire.structure(data.pop("name"), str)))
        if data:
            result = await run(caller, command(c.UpdateRoom, data, roomId=room_id))
        return result

    @route("/api/rooms/<room_id>", ["DELETE"])
    async def close_room(caller: Caller, room_id: str) -> Any:
        return await run(caller, c.CloseRoom(room_id=room_id))

    @route("/api/rooms/<room_id>/swap", ["POST"])
    async def swap(caller: Caller, room_id: str) -> Any:
        return await run(caller, command(c.SwapDesks, await body(), roomId=room_id))

    @route("/api/office", ["GET"])
    async def office(caller: Caller) -> Any:
        return wire.unstructure((await snapshot(caller)).office)

    @route("/api/office", ["PUT"])
    async def update_office(caller: Caller) -> Any:
        return await run(caller, command(c.UpdateOffice, await body()))

    @route("/api/validate/cwd", ["POST"])
    async def validate_cwd(caller: Caller) -> Any:
        return await run(caller, command(c.ValidateCwd, await body()))

    @route("/api/validate/env-file", ["POST"])
    async def validate_env(caller: Caller) -> Any:
        return await run(caller, command(c.ValidateEnvFile, await body()))

    # Tasks, as agents call them -----------------------------------------------------------------

    @route("/tasks", ["GET"], allow=PEOPLE | AGENTS)
    async def list_tasks(caller: Caller) -> Any:
        status = request.args.get("status", "active")
        if status not in ("active", "all", "open", "in_progress", "done"):
            raise InvalidInput("status must be one of: all, open, in_progress, done")
        wanted = cast(Any, status)
        tasks: tuple[Task, ...] = await s.tasks.ask(
            lambda r: ListTasks(wanted, request.args.get("assignee"), request.args.get("title"), r),
            timeout=10,
        )
        return wire.unstructure(tasks)

    @route("/tasks/<task_id>", ["GET"], allow=PEOPLE | AGENTS)
    async def get_task(caller: Caller, task_id: str) -> Any:
        return wire.unstructure(await s.tasks.ask(lambda r: GetTask(task_id, r), timeout=10))

    @route("/tasks", ["POST"], created=True, allow=PEOPLE | AGENTS)
    async def post_task(caller: Caller) -> Any:
        data = await body()
        data.pop("createdBy", None)  # the office records who really asked
        device = data.pop("device", None)
        if caller.kind == "person" and isinstance(device, str):
            caller = Caller(kind=caller.kind, name=caller.name, device=device[:60], role=caller.role)
        return await run(caller, command(c.CreateTask, data))

    @route("/tasks/<task_id>", ["PATCH"], allow=PEOPLE | AGENTS)
    async def patch_task(caller: Caller, task_id: str) -> Any:
        data = await body()
        for key in ("assignee", "description"):
            if key in data and data[key] in (None, False):
                data[key] = ""
        if "priority" in data and data["priority"] in (None, "", False):
            data["priority"] = "none"
        return await run(caller, c.UpdateTask(task_id=task_id, changes=wire.structure(data, c.TaskChanges)))

    @route("/tasks/<task_id>/claim", ["POST"], allow=PEOPLE | AGENTS)
    async def claim_task(caller: Caller, task_id: str) -> Any:
        return await run(caller, command(c.ClaimTask, await body(), taskId=task_id))

    @route("/tasks/<task_id>/done", ["POST"], allow=PEOPLE | AGENTS)
    async def done_task(caller: Caller, task_id: str) -> Any:
        await request.get_data(cache=False)
        return await run(caller, c.CompleteTask(task_id=task_id))

    @route("/tasks/<task_id>", ["DELETE"], allow=PEOPLE | AGENTS)
    async def delete_task(caller: Caller, task_id: str) -> Any:
        if caller.kind == "agent":
            raise Forbidden("agents cannot delete tasks; mark them done instead")
        return await run(caller, c.DeleteTask(task_id=task_id))
