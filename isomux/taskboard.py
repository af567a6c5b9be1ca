"""The task board actor: the shared tasks of people and agents.

Accepts: :class:`DoTask` (a task command with the caller's name), :class:`ListTasks`,
:class:`GetTask`. Emits ``TaskChanged`` / ``TaskRemoved``. Owns ``tasks.json``.
Kept apart from the office actor so that agents filing tasks never wait behind spawns.

Restart: permanent. A corrupt ``tasks.json`` stops the start with an explanation and
leaves the file untouched. Shutdown: nothing to flush.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs
import trio

from isomux import wire
from isomux.actors import ActorContext, Reply, serve
from isomux.domain import commands as c
from isomux.domain.events import TaskChanged, TaskRemoved
from isomux.domain.ids import new_task_id, now_ms
from isomux.domain.model import Task
from isomux.errors import CorruptFile, InvalidInput, NotFound
from isomux.hub import Publish
from isomux.services import Services
from isomux.store.atomic import read_json, write_json_atomic

_ADVICE = "Isomux will not start over it: fix the file, restore it from a backup, or move it aside."


@attrs.frozen(kw_only=True)
class Caller:
    """Who asked, as the board records it (``createdBy``)."""

    name: str
    device: str | None = None


@attrs.frozen(eq=False)
class DoTask:
    command: Any
    caller: Caller
    reply: Reply[Any]


@attrs.frozen(eq=False)
class ListTasks:
    status: Literal["active", "all", "open", "in_progress", "done"]
    assignee: str | None
    title: str | None
    reply: Reply[tuple[Task, ...]]


@attrs.frozen(eq=False)
class GetTask:
    task_id: str
    reply: Reply[Task]


TaskMsg = DoTask | ListTasks | GetTask


def load_tasks(path: Any) -> dict[str, Task]:
    data = read_json(path, advice=_ADVICE)
    if data is None:
        return {}
    if not isinstance(data, dict) or "tasks" not in data:
        raise CorruptFile(path, "it has no 'tasks' field", advice=_ADVICE)
    try:
        tasks = wire.structure(data["tasks"], tuple[Task, ...])
    except InvalidInput as exc:
        raise CorruptFile(path, str(exc), advice=_ADVICE) from None
    return {t.id: t for t in tasks}


class Board:
    def __init__(self, services: Services, tasks: dict[str, Task]) -> None:
        self.s = services
        self.tasks = tasks

    def get(self, task_id: str) -> Task:
        task = self.tasks.get(task_id)
        if task is None:
            raise NotFound(f"there is no task {task_id!r}")
        return task

    async def _save(self) -> None:
        data = {"version": 1, "tasks": wire.unstructure(tuple(self.tasks.values()), tuple[Task, ...])}
        await trio.to_thread.run_sync(write_json_atomic, self.s.layout.tasks_json, data)

    async def _put(self, task: Task) -> Task:
        self.tasks[task.id] = task
        await self._save()
        await self.s.hub.tell(Publish(TaskChanged(task=task)))
        return task

    async def handle(self, msg: TaskMsg) -> None:
        if isinstance(msg, DoTask):
            msg.reply.send(await self.run(msg.command, msg.caller))
        elif isinstance(msg, GetTask):
            msg.reply.send(self.get(msg.task_id))
        else:
            msg.reply.send(self.query(msg))

    def query(self, q: ListTasks) -> tuple[Task, ...]:
        found = []
        for task in self.tasks.values():
            if q.status == "active" and task.status == "done":
                continue
            if q.status not in ("active", "all") and task.status != q.status:
                continue
            if q.assignee is not None and (task.assignee or "").casefold() != q.assignee.casefold():
                continue
            if q.title is not None and q.title.casefold() not in task.title.casefold():
                continue
            found.append(task)
        return tuple(found)

    async def run(self, cmd: Any, caller: Caller) -> Any:
        now = now_ms()
        if isinstance(cmd, c.CreateTask):
            task = Task(
                id=self._fresh_id(),
                title=cmd.title,
                description=cmd.description,
                priority=cmd.priority,
                assignee=cmd.assignee or None,
                created_by=caller.name,
                device=caller.device,
                created_at=now,
                updated_at=now,
            )
            return await self._put(task)
        if isinstance(cmd, c.DeleteTask):
            self.get(cmd.task_id)
            del self.tasks[cmd.task_id]
            await self._save()
            await self.s.hub.tell(Publish(TaskRemoved(task_id=cmd.task_id)))
            return None
        task = self.get(cmd.task_id)
        if isinstance(cmd, c.ClaimTask):
            assignee = cmd.assignee or task.assignee or caller.name
            return await self._put(attrs.evolve(task, status="in_progress", assignee=assignee, updated_at=now))
        if isinstance(cmd, c.CompleteTask):
            return await self._put(attrs.evolve(task, status="done", updated_at=now))
        if isinstance(cmd, c.UpdateTask):
            ch = cmd.changes
            updates: dict[str, Any] = {}
            for field in ("title", "description", "status"):
                if getattr(ch, field) is not None:
                    updates[field] = getattr(ch, field)
            if ch.priority is not None:
                updates["priority"] = None if ch.priority == "none" else ch.priority
            if ch.assignee is not None:
                updates["assignee"] = ch.assignee or None
            return await self._put(attrs.evolve(task, **updates, updated_at=now))
        raise InvalidInput(f"the task board does not handle {type(cmd).__name__}")

    def _fresh_id(self) -> str:
        while (task_id := new_task_id()) in self.tasks:
            pass
        return task_id


async def run_taskboard(
    ctx: ActorContext[TaskMsg], *, services: Services, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
) -> None:
    tasks = await trio.to_thread.run_sync(load_tasks, services.layout.tasks_json)
    board = Board(services, tasks)
    for task in tasks.values():
        await services.hub.tell(Publish(TaskChanged(task=task)))
    task_status.started()
    await serve(ctx, board.handle)
