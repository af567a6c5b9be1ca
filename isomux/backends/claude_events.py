"""Claude Code's SDK messages turned into Isomux backend events (pure: no I/O, no clock of its own).

:class:`EventMapper` follows one Claude Code session: token deltas from ``StreamEvent`` values,
whole content blocks from ``AssistantMessage`` values (one block per message), tool results
from ``UserMessage`` values and the end of each turn from ``ResultMessage``. Messages of
sub-agents (those with a ``parent_tool_use_id``) are left out; the sub-agent's own tool call
already shows what it did.

Cost: Claude Code reports a running total, ``total_cost_usd``, which it restores from the
session's transcript when a session is resumed or forked. That restored figure is whatever the
CLI last saved for the parent session: its whole history even past a fork point, an older figure
after a crash, nothing if the parent process had not exited yet. So it cannot be compared with
what the office counted. :class:`CostLedger` takes per-turn costs as differences between the
CLI's successive totals, starting from the figure the CLI restored (:func:`restored_total`), and
reports a cumulative cost of its own for the branch: the office's figure at the resume or fork
point plus the turns since.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from claude_agent_sdk import (
    AssistantMessage,
    ConversationResetMessage,
    Message,
    RateLimitEvent,
    ResultMessage,
    ServerToolResultBlock,
    ServerToolUseBlock,
    StreamEvent,
    SystemMessage,
    TextBlock,
    ThinkingBlock,
    ToolResultBlock,
    ToolUseBlock,
    UserMessage,
)

from isomux.backends.base import (
    BackendEvent,
    Notice,
    SessionReady,
    TextDelta,
    TextDone,
    ThinkingDelta,
    ThinkingDone,
    ToolFinished,
    ToolStarted,
    TurnDone,
)
from isomux.domain.log import TurnStatus
from isomux.domain.model import Usage

LOGIN_HINT = (
    "Claude Code is not logged in, or its API key was refused. Open the office terminal, run `claude` and "
    "type /login (or set ANTHROPIC_API_KEY in the office or room env file), then send your message again."
)
BILLING_HINT = "Check the billing and credit balance of the Anthropic account Claude Code uses."
RATE_LIMIT_HINT = "The account reached its rate limit. Wait a little, then send your message again."
SERVER_HINT = "The Anthropic API had a problem on its side; this is usually temporary. Send your message again soon."
UNREACHABLE_HINT = (
    "Claude Code could not reach the Anthropic API. Check the network connection (and ANTHROPIC_BASE_URL, "
    "if it is set), then send your message again."
)
INVALID_HINT = (
    "The API refused the request. A very large attachment or a very long conversation can cause this; "
    "try a smaller file or a new conversation."
)

_ABORTED = ("aborted_streaming", "aborted_tools")


@attrs.frozen
class CostState:
    """A running total Claude Code saved, and how many tokens it had counted by then."""

    total: float
    tokens: int


_MODEL_TOKEN_KEYS = ("inputTokens", "outputTokens", "cacheReadInputTokens", "cacheCreationInputTokens")
_USAGE_TOKEN_KEYS = ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


def _count(values: Mapping[str, Any], keys: tuple[str, ...]) -> int:
    return sum(v for k in keys if isinstance(v := values.get(k), int) and v > 0)


def model_tokens(model_usage: object) -> int:
    """All tokens in a per-model usage record (``ResultMessage.model_usage``, or a saved one)."""
    if not isinstance(model_usage, Mapping):
        return 0
    return sum(_count(usage, _MODEL_TOKEN_KEYS) for usage in model_usage.values() if isinstance(usage, Mapping))


def restored_total(saved: Sequence[CostState], result: ResultMessage) -> float:
    """The running total Claude Code started from, judged by the first result of a resumed process.

    The CLI restores one of the totals saved for the session, or none. Which one depends on which
    processes had exited when it started, so it is recognised by its token count: the restored
    count plus this turn's tokens make the CLI's running count. Without a running count the
    turn is taken to have cost nothing rather than be charged for turns it did not run.
    """
    if not result.model_usage:
        return result.total_cost_usd or 0.0
    running = model_tokens(result.model_usage)
    turn = _count(result.usage or {}, _USAGE_TOKEN_KEYS)
    candidates = [CostState(0.0, 0), *saved]
    # Ties go to the most recent save.
    return min(reversed(candidates), key=lambda state: abs(running - state.tokens - turn)).total


@attrs.define
class CostLedger:
    """Per-turn costs from Claude Code's running total, and the branch's cumulative cost."""

    branch_total: float  # the office's figure: the resume or fork point, plus every turn since
    cli_total: float | None  # Claude Code's total after the previous turn; None: what it restored is not known yet

    def settle(self, reported: float | None) -> tuple[float, float]:
        """Take the CLI's total after a turn; return (the turn's cost, the branch's cumulative cost)."""
        if reported is None:
            return 0.0, self.branch_total
        turn = max(0.0, reported - (self.cli_total or 0.0))
        self.cli_total = reported
        self.branch_total += turn
        return turn, self.branch_total

    def reset(self) -> None:
        """The CLI started its total over (the conversation was cleared)."""
        self.cli_total = 0.0


def failure_hint(api_error: str | None, status: int | None) -> str:
    """What a person can do about a failed turn, from the CLI's error kind and the HTTP status."""
    if api_error == "authentication_failed" or status in (401, 403):
        return LOGIN_HINT
    if api_error == "billing_error" or status == 402:
        return BILLING_HINT
    if api_error == "rate_limit" or status == 429:
        return RATE_LIMIT_HINT
    if api_error == "invalid_request" or status in (400, 413):
        return INVALID_HINT
    if api_error == "server_error":
        return SERVER_HINT if status else UNREACHABLE_HINT
    return ""


def turn_status(result: ResultMessage, *, interrupt_requested: bool) -> TurnStatus:
    if result.terminal_reason in _ABORTED:
        return "interrupted"
    if interrupt_requested and result.subtype == "error_during_execution":
        return "interrupted"
    return "failed" if result.is_error else "completed"


def failure_text(result: ResultMessage) -> str:
    if result.result:
        return result.result
    errors = [e for e in result.errors or () if not e.startswith("[ede_diagnostic]")]
    if errors:
        return "; ".join(errors)
    if result.subtype == "error_max_turns":
        return "Claude Code stopped: the turn reached its limit of steps."
    return f"Claude Code ended the turn with an error ({result.subtype})."


def turn_usage(usage: Mapping[str, Any] | None, cost: float) -> Usage:
    def count(key: str) -> int:
        value = (usage or {}).get(key)
        return value if isinstance(value, int) and value > 0 else 0

    return Usage(
        input_tokens=count("input_tokens"),
        output_tokens=count("output_tokens"),
        cache_read_tokens=count("cache_read_input_tokens"),
        cache_write_tokens=count("cache_creation_input_tokens"),
        cost_usd=cost,
    )


def tool_output(content: str | list[dict[str, Any]] | dict[str, Any] | None) -> str:
    """A tool result as text: text parts joined, other parts named."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else [content]
    texts = []
    for part in parts:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            texts.append(str(part.get("text", "")))
        elif kind is not None:
            texts.append(f"[{kind}]")
    return "\n".join(texts)


@attrs.define
class EventMapper:
    """One Claude Code session's messages → backend events. ``now`` values are seconds on any clock."""

    ledger: CostLedger
    session_id: str | None = None
    fork_ref: str | None = None  # the last transcript entry seen: where a fork keeps everything so far
    interrupt_requested: bool = False
    _prompt: str | None = None  # the transcript id of the prompt whose turn is running
    _carried: float = 0.0  # cost of turns nobody asked for, counted with the next one
    _api_error: str | None = None
    _stream_message: str = ""
    _block_counts: dict[str, int] = attrs.Factory(dict)
    _thinking_started: dict[str, float] = attrs.Factory(dict)
    _done_blocks: set[str] = attrs.Factory(set)
    _started_tools: set[str] = attrs.Factory(set)

    def begin_turn(self, prompt_uuid: str) -> None:
        """A prompt with this transcript id was sent; until anything else arrives it is the fork point."""
        self.fork_ref = prompt_uuid
        self._prompt = prompt_uuid
        self.interrupt_requested = False
        self._api_error = None

    def needs_saved_costs(self, message: Message) -> bool:
        """Whether the saved totals must be given to :meth:`start_costs_from` before ``message`` is mapped."""
        return isinstance(message, ResultMessage) and self.ledger.cli_total is None

    def start_costs_from(self, saved: Sequence[CostState], first: ResultMessage) -> None:
        self.ledger.cli_total = restored_total(saved, first)

    def map(self, message: Message, now: float) -> list[BackendEvent]:
        if isinstance(message, StreamEvent):
            return [] if message.parent_tool_use_id else self._stream(message.event, now)
        if isinstance(message, AssistantMessage):
            return [] if message.parent_tool_use_id else self._assistant(message, now)
        if isinstance(message, UserMessage):
            return [] if message.parent_tool_use_id else self._user(message)
        if isinstance(message, ResultMessage):
            return self._result(message)
        if isinstance(message, SystemMessage):
            return self._system(message)
        if isinstance(message, RateLimitEvent):
            return self._rate_limit(message)
        if isinstance(message, ConversationResetMessage):
            self.ledger.reset()
        return []

    def _stream(self, event: dict[str, Any], now: float) -> list[BackendEvent]:
        kind = event.get("type")
        if kind == "message_start":
            message = event.get("message")
            self._stream_message = str(message.get("id", "")) if isinstance(message, dict) else ""
            return []
        block = f"{self._stream_message}:{event.get('index', 0)}"
        if kind == "content_block_start":
            started = event.get("content_block")
            if isinstance(started, dict) and started.get("type") == "thinking":
                self._thinking_started[block] = now
            return []
        if kind != "content_block_delta" or block in self._done_blocks:
            return []
        delta = event.get("delta")
        if not isinstance(delta, dict):
            return []
        if delta.get("type") == "text_delta" and delta.get("text"):
            return [TextDelta(block, str(delta["text"]))]
        if delta.get("type") == "thinking_delta" and delta.get("thinking"):
            self._thinking_started.setdefault(block, now)
            return [ThinkingDelta(block, str(delta["thinking"]))]
        return []

    def _assistant(self, message: AssistantMessage, now: float) -> list[BackendEvent]:
        if message.uuid:
            self.fork_ref = message.uuid
        if message.error is not None:
            # A stand-in message carrying an API failure; the turn's result reports it.
            self._api_error = message.error
            return []
        key = message.message_id or ""
        events: list[BackendEvent] = []
        for content in message.content:
            index = self._block_counts.get(key, 0)
            self._block_counts[key] = index + 1
            block = f"{key}:{index}"
            events.extend(self._whole_block(block, content, now))
        return events

    def _whole_block(self, block: str, content: object, now: float) -> list[BackendEvent]:
        if isinstance(content, ToolUseBlock | ServerToolUseBlock):
            if content.id in self._started_tools:
                return []
            self._started_tools.add(content.id)
            return [ToolStarted(content.id, str(content.name), dict(content.input))]
        if isinstance(content, ServerToolResultBlock):
            return [ToolFinished(content.tool_use_id, tool_output(content.content))]
        if block in self._done_blocks:
            return []
        if isinstance(content, TextBlock):
            self._done_blocks.add(block)
            return [TextDone(block, content.text)]
        if isinstance(content, ThinkingBlock):
            self._done_blocks.add(block)
            started = self._thinking_started.pop(block, None)
            duration = None if started is None else max(0, round((now - started) * 1000))
            return [ThinkingDone(block, content.thinking, duration)]
        return []

    def _user(self, message: UserMessage) -> list[BackendEvent]:
        if message.uuid:
            self.fork_ref = message.uuid
        if isinstance(message.content, str):
            return []
        events: list[BackendEvent] = []
        for content in message.content:
            if isinstance(content, ToolResultBlock):
                events.append(ToolFinished(content.tool_use_id, tool_output(content.content), bool(content.is_error)))
        return events

    def _system(self, message: SystemMessage) -> list[BackendEvent]:
        if message.subtype == "init":
            session_id = message.data.get("session_id")
            if isinstance(session_id, str) and session_id and session_id != self.session_id:
                self.session_id = session_id
                return [SessionReady(session_id)]
        elif message.subtype == "compact_boundary":
            return [Notice("Claude Code compacted the conversation to fit its context window.")]
        return []

    def _rate_limit(self, message: RateLimitEvent) -> list[BackendEvent]:
        info = message.rate_limit_info
        if info.status == "rejected":
            return [Notice("Claude Code hit the account's rate limit; it waits until the limit resets.", "warning")]
        if info.status == "allowed_warning":
            return [Notice("The account is close to its Claude rate limit.")]
        return []

    def _answers_prompt(self, result: ResultMessage) -> bool:
        if self._prompt is None:
            return False
        if result.user_message_uuid is None:
            return True  # nothing says otherwise
        return self._prompt == result.user_message_uuid or self._prompt in (result.user_message_uuids or ())

    def _result(self, result: ResultMessage) -> list[BackendEvent]:
        if result.session_id and self.session_id is None:
            self.session_id = result.session_id
        cost, cumulative = self.ledger.settle(result.total_cost_usd)
        if not self._answers_prompt(result):
            # A turn Claude Code started on its own (a background task finished, say). Its cost is
            # counted with the person's next turn, so turn costs still add up to the total.
            self._carried += cost
            return []
        cost, self._carried = cost + self._carried, 0.0
        self._prompt = None
        status = turn_status(result, interrupt_requested=self.interrupt_requested)
        error = hint = ""
        if status == "failed":
            error = failure_text(result)
            hint = failure_hint(self._api_error, result.api_error_status)
        self.interrupt_requested = False
        self._api_error = None
        return [
            TurnDone(
                status,
                usage=turn_usage(result.usage, cost),
                error=error,
                hint=hint,
                fork_ref=self.fork_ref,
                cumulative_cost=cumulative,
            )
        ]
