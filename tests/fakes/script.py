"""Markers in a prompt that script what the mock model servers reply (pure, no I/O).

Both mocks turn their request's history into a list of :class:`UserText` and :class:`ToolResult`
entries, ask :func:`current_turn` where the conversation stands, and :func:`plan_reply` what to
send. The mocks are stateless: progress through a scripted turn is the number of tool results that
follow the last real user text.

Markers (only the last real user text counts; ``<system-reminder>`` blocks are ignored):

``[[say:Some text]]``
    Reply with exactly that text, streamed word by word.
``[[think:Some thought]]``
    A thinking / reasoning block before the first reply of the turn.
``[[bash:cmd]]``, ``[[read:path]]``, ``[[write:path|content]]``
    Tool calls, one per response and in order; then the ``say`` text, or ``Done.``.
``[[slow:N:MS]]``
    The reply text is N deltas ``tok1 tok2 …`` with MS milliseconds between them.
``[[hang]]``
    Send the start of the reply and one delta, then wait until the client hangs up.
``[[error:500]]`` (401, 400, 529, any status), ``[[error:midstream]]``
    Answer with that HTTP error, or fail in the middle of the stream.
``[[topic:Some words]]``
    The reply to a topic request (a user text containing ``<topic-request>``), which is always
    text only; without the marker it is ``Mock conversation topic``.

Without markers the reply is ``OK: `` followed by the first 60 characters of the user text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

TOPIC_TAG = "<topic-request>"
DEFAULT_TOPIC = "Mock conversation topic"
DONE_TEXT = "Done."

_MARKER = re.compile(r"\[\[(say|think|bash|read|write|slow|hang|error|topic)(?::(.*?))?\]\]", re.DOTALL)
_REMINDER = re.compile(r"<system-reminder>.*?</system-reminder>", re.DOTALL)
_SLOW = re.compile(r"(\d+):(\d+)")
_WORD = re.compile(r"\s*\S+\s*|\s+")


@attrs.frozen
class UserText:
    """A message a person wrote (possibly several coalesced ones)."""

    text: str


@attrs.frozen
class ToolResult:
    """The result of a tool call, sent back to the model."""


HistoryEntry = UserText | ToolResult


@attrs.frozen
class Turn:
    """Where the conversation stands: the last user text and the tool results since."""

    text: str
    tool_results: int


@attrs.frozen
class ShellCall:
    command: str


@attrs.frozen
class ReadCall:
    path: str


@attrs.frozen
class WriteCall:
    path: str
    content: str


ToolCall = ShellCall | ReadCall | WriteCall


@attrs.frozen
class TextReply:
    """Stream ``deltas`` (their concatenation is the reply text), ``delay`` seconds apart.

    With ``hang``, only the first delta is sent and the server then waits for the client to leave.
    """

    deltas: tuple[str, ...]
    thinking: str = ""
    delay: float = 0.0
    hang: bool = False

    @property
    def text(self) -> str:
        return "".join(self.deltas)


@attrs.frozen
class ToolReply:
    """Ask the client to run one tool call."""

    call: ToolCall
    thinking: str = ""


@attrs.frozen
class ErrorReply:
    """Answer with this HTTP status and the provider's JSON error body."""

    status: int


@attrs.frozen
class StreamErrorReply:
    """Start the stream, then fail it with the provider's mid-stream error event."""


Reply = TextReply | ToolReply | ErrorReply | StreamErrorReply


def strip_reminders(text: str) -> str:
    """Remove ``<system-reminder>`` blocks that the CLIs add around what a person wrote."""
    return _REMINDER.sub("", text)


def strip_markers(text: str) -> str:
    """The text with every marker removed and surrounding whitespace trimmed."""
    return _MARKER.sub("", text).strip()


def split_words(text: str) -> tuple[str, ...]:
    """Split text into word deltas whose concatenation is exactly ``text``."""
    return tuple(_WORD.findall(text))


def current_turn(history: Iterable[HistoryEntry]) -> Turn:
    """The last real user text and how many tool results came after it."""
    text = ""
    results = 0
    for entry in history:
        if isinstance(entry, UserText):
            text = entry.text
            results = 0
        else:
            results += 1
    return Turn(text=text, tool_results=results)


def is_topic_request(text: str) -> bool:
    return TOPIC_TAG in text


def plan_reply(turn: Turn) -> Reply:
    """What the mock sends for ``turn``."""
    text = strip_reminders(turn.text)
    markers = [(m.group(1), m.group(2) or "") for m in _MARKER.finditer(text)]
    if is_topic_request(text):
        topics = [arg for name, arg in markers if name == "topic"]
        return TextReply(deltas=split_words(topics[0] if topics else DEFAULT_TOPIC))
    errors = [arg.strip() for name, arg in markers if name == "error"]
    if errors:
        if errors[0] == "midstream":
            return StreamErrorReply()
        return ErrorReply(status=int(errors[0]) if errors[0].isdigit() else 500)
    thinking = "".join(arg for name, arg in markers if name == "think") if turn.tool_results == 0 else ""
    calls = [call for name, arg in markers if (call := _tool_call(name, arg)) is not None]
    if turn.tool_results < len(calls):
        return ToolReply(call=calls[turn.tool_results], thinking=thinking)
    return _text_reply(text, markers, thinking=thinking, after_tools=bool(calls))


def _tool_call(name: str, arg: str) -> ToolCall | None:
    if name == "bash":
        return ShellCall(command=arg)
    if name == "read":
        return ReadCall(path=arg)
    if name == "write":
        path, _, content = arg.partition("|")
        return WriteCall(path=path, content=content)
    return None


def _text_reply(text: str, markers: list[tuple[str, str]], *, thinking: str, after_tools: bool) -> TextReply:
    names = {name for name, _ in markers}
    said = [arg for name, arg in markers if name == "say"]
    slow = [arg for name, arg in markers if name == "slow"]
    delay = 0.0
    if slow and (match := _SLOW.fullmatch(slow[0].strip())):
        count, millis = max(1, int(match.group(1))), int(match.group(2))
        deltas = (*(f"tok{i} " for i in range(1, count)), f"tok{count}")
        delay = millis / 1000
    elif said:
        deltas = split_words(said[0])
    elif after_tools:
        deltas = (DONE_TEXT,)
    else:
        deltas = split_words("OK: " + strip_markers(text)[:60])
    return TextReply(deltas=deltas, thinking=thinking, delay=delay, hang="hang" in names)
