"""The messages between the router and the agents (kept apart so neither imports the other).

The router sends :class:`Deliver`; the agent answers with :class:`Delivered` once the
messages are in its log (then, and only then, the router drops them from the durable
inbox), or :class:`Undeliverable` when it is busy. An idle agent says :class:`Ready`.
"""

from __future__ import annotations

import attrs

from isomux.domain.model import QueuedMessage


@attrs.frozen(eq=False)
class Deliver:
    messages: tuple[QueuedMessage, ...]
    steer: bool = False  # "send now": into the running turn


@attrs.frozen(eq=False)
class Ready:
    agent_id: str


@attrs.frozen(eq=False)
class Delivered:
    agent_id: str
    message_ids: tuple[str, ...]


@attrs.frozen(eq=False)
class Undeliverable:
    agent_id: str
    message_ids: tuple[str, ...]
