"""The one place where domain objects become JSON and JSON becomes domain objects.

camelCase on the wire, snake_case in Python; tagged unions carry a ``type`` field
(the class name in snake_case). Structuring is strict: a string is not a number, a
number is not a boolean, unknown fields are refused, and every failure becomes an
:class:`~isomux.errors.InvalidInput` that names the offending field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar, cast, get_args, get_origin, overload

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from isomux.domain.checks import camel
from isomux.domain.commands import COMMAND_TYPES, Command
from isomux.domain.events import EVENT_TYPES, Event
from isomux.domain.log import LOG_ENTRY_TYPES, LogEntry
from isomux.domain.protocol import ClientFrame, CommandFrame, ServerFrame
from isomux.errors import InvalidInput

T = TypeVar("T")


def tag_of(cls: type) -> str:
    """``SpawnAgent`` → ``spawn_agent``; ``CommandFrame`` → ``command``."""
    name = cls.__name__.removesuffix("Frame")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _strict(kind: type, accept: tuple[type, ...]) -> Callable[[Any, type], Any]:
    def structure(value: Any, _t: type) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {kind.__name__}, got a boolean")
        if not isinstance(value, accept):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return kind(value)

    return structure


def _is_sequence(tp: Any) -> bool:
    return get_origin(tp) in (tuple, list)


def _sequence_hook(conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Lists and tuples come from JSON arrays only (cattrs would happily turn "abc" into three letters)."""

    def structure(value: Any, tp: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        args = get_args(tp)
        if get_origin(tp) is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if len(value) != len(args):
                raise TypeError(f"expected {len(args)} items, got {len(value)}")
            return tuple(conv.structure(v, a) for v, a in zip(value, args, strict=True))
        inner = args[0] if args else Any
        items = [conv.structure(v, inner) for v in value]
        return tuple(items) if get_origin(tp) is tuple else items

    return structure


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(str, _strict(str, (str,)))
    conv.register_structure_hook(int, _strict(int, (int,)))
    conv.register_structure_hook(float, _strict(float, (int, float)))
    conv.register_structure_hook(bool, _strict(bool, (bool,)))
    conv.register_structure_hook_func(_is_sequence, _sequence_hook(conv))

    def unstructure_factory(cls: type) -> Any:
        renames: dict[str, Any] = {a.name: override(rename=camel(a.name)) for a in attrs.fields(cls)}
        return make_dict_unstructure_fn(cls, conv, **renames)

    def structure_factory(cls: type) -> Any:
        renames: dict[str, Any] = {a.name: override(rename=camel(a.name)) for a in attrs.fields(cls)}
        return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **renames)

    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    conv.register_structure_hook_factory(attrs.has, structure_factory)
    # Inner unions first: configuring an outer one builds hooks for the fields it contains.
    for union in (LogEntry, Command, Event, ClientFrame, ServerFrame):
        configure_tagged_union(union, conv, tag_name="type", tag_generator=tag_of)
        _check_tags_first(conv, union)
    return conv


class UnknownType(ValueError):
    pass


def _check_tags_first(conv: cattrs.Converter, union: Any) -> None:
    """Name an unknown or missing ``type`` plainly instead of as a missing field."""
    inner = conv.get_structure_hook(union)
    tags = sorted(tag_of(member) for member in get_args(union))

    def hook(value: Any, typ: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        tag = value.get("type")
        if tag not in tags:
            shown = "no type" if tag is None else f"unknown type {tag!r}"
            raise UnknownType(f"{shown}; expected one of: {', '.join(tags)}")
        return inner(value, typ)

    conv.register_structure_hook_func(lambda t: t == union, hook)


converter = _make_converter()

_PATH_PART = re.compile(r"\.([a-z0-9]+(?:_[a-z0-9]+)+)")


def _format(exc: BaseException, typ: Any) -> str:
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown fields: {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, KeyError):
        return "required field missing"
    text = str(exc)
    if " not in literal " in text:
        allowed = [a for arm in (get_args(typ) or (typ,)) for a in get_args(arm) if isinstance(a, str)]
        return "must be one of: " + ", ".join(allowed) if allowed else "not an allowed value"
    return text or type(exc).__name__


def _explain(exc: BaseException) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        messages = cattrs.transform_error(exc, format_exception=_format)
    else:
        messages = [_format(exc, None)]
    cleaned = []
    for message in messages:
        text, _, path = message.rpartition(" @ ")
        if not text:
            text, path = path, "$"
        path = _PATH_PART.sub(lambda m: "." + camel(m.group(1)), path).removeprefix("$").lstrip(".")
        cleaned.append(f"{path}: {text}" if path else text)
    return "; ".join(cleaned)


@overload
def structure(data: Any, cls: type[T]) -> T: ...


@overload
def structure(data: Any, cls: Any) -> Any: ...


def structure(data: Any, cls: Any) -> Any:
    """Build ``cls`` from parsed JSON, or raise ``InvalidInput`` saying what is wrong."""
    if attrs.has(cls) and not isinstance(data, dict):
        raise InvalidInput(f"expected a JSON object, got {type(data).__name__}")
    try:
        return converter.structure(data, cls)
    except InvalidInput:
        raise
    except (cattrs.BaseValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput(_explain(exc)) from None


def unstructure(obj: Any, cls: Any = None) -> Any:
    return converter.unstructure(obj, cls) if cls is not None else converter.unstructure(obj)


def dumps(obj: Any, cls: Any = None) -> str:
    return json.dumps(unstructure(obj, cls), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def frame(obj: Any) -> str:
    """A server-to-browser frame as JSON text (with its ``type``)."""
    return dumps(obj, ServerFrame)


def loads(text: str | bytes, cls: type[T] | Any) -> T:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(f"not valid JSON: {exc}") from None
    return structure(data, cls)


def decode_client_frame(text: str | bytes) -> ClientFrame:
    """Parse one frame from a browser; ``InvalidInput`` carries the requestId when there is one."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput("a frame must be a JSON object")
    try:
        return cast(ClientFrame, structure(data, ClientFrame))
    except InvalidInput as exc:
        request_id = data.get("requestId")
        if isinstance(request_id, str) and data.get("type") == "command":
            exc.request_id = request_id[:64]  # type: ignore[attr-defined]
        raise


def decode_command(data: Any) -> Command:
    return cast(Command, structure(data, Command))


__all__ = [
    "COMMAND_TYPES",
    "EVENT_TYPES",
    "LOG_ENTRY_TYPES",
    "CommandFrame",
    "camel",
    "converter",
    "decode_client_frame",
    "decode_command",
    "dumps",
    "loads",
    "structure",
    "tag_of",
    "unstructure",
]
