"""Every error Isomux raises on purpose, in one tree.

Each error also inherits the builtin it is closest to, so callers that only know
the builtin still catch it. Errors that reach a person say what happened and what
to do about it.

    IsomuxError
    ├── ActorError
    │   ├── ActorGone (LookupError)         the actor behind a handle stopped for good
    │   ├── ActorCrashed (RuntimeError)     the actor died while handling your request
    │   ├── AskTimeout (TimeoutError)       no reply before the deadline
    │   ├── MailboxFull (BufferError)       a bounded mailbox refused a message
    │   └── RestartIntensityExceeded (RuntimeError)  a supervisor gave up
    ├── StoreError
    │   └── CorruptFile (ValueError)        a state file does not parse; it is left untouched
    ├── Rejected (ValueError)               a request was understood and refused
    │   ├── InvalidInput                    what was sent is malformed or out of range
    │   ├── NotFound (LookupError)          the agent, room, task, … does not exist
    │   ├── Conflict                        the request clashes with current state
    │   ├── Unauthorized (PermissionError)  nobody is signed in (or the credential is not valid)
    │   ├── Forbidden (PermissionError)     the caller may not do this
    │   └── RateLimited                     too many requests from one sender
    └── BackendError (RuntimeError)         the agent's backend failed
        ├── BackendUnavailable              the CLI is missing, too old or not logged in
        └── BackendProtocolError            the CLI said something we cannot understand
"""

from __future__ import annotations

from pathlib import Path


class IsomuxError(Exception):
    """The root of every error Isomux raises on purpose."""

    code = "error"


# Actors ---------------------------------------------------------------------


class ActorError(IsomuxError):
    code = "actor"


class ActorGone(ActorError, LookupError):
    code = "actor_gone"


class ActorCrashed(ActorError, RuntimeError):
    code = "actor_crashed"


class AskTimeout(ActorError, TimeoutError):
    code = "timeout"


class MailboxFull(ActorError, BufferError):
    code = "busy"


class RestartIntensityExceeded(ActorError, RuntimeError):
    code = "restart_intensity"


# Store ----------------------------------------------------------------------


class StoreError(IsomuxError):
    code = "store"


class CorruptFile(StoreError, ValueError):
    """A state file that does not parse. It is never overwritten."""

    code = "corrupt_file"

    def __init__(self, path: Path, reason: str, *, advice: str = "") -> None:
        self.path = path
        self.reason = reason
        self.advice = advice
        text = f"{path} is corrupt: {reason}. It has not been changed."
        if advice:
            text += f" {advice}"
        super().__init__(text)


# Requests -------------------------------------------------------------------


class Rejected(IsomuxError, ValueError):
    """A request that was understood and refused; the message says why."""

    code = "rejected"
    status = 400


class InvalidInput(Rejected):
    code = "invalid"
    status = 400


class NotFound(Rejected, LookupError):
    code = "not_found"
    status = 404


class Conflict(Rejected):
    code = "conflict"
    status = 409


class Unauthorized(Rejected, PermissionError):
    code = "unauthorized"
    status = 401


class Forbidden(Rejected, PermissionError):
    code = "forbidden"
    status = 403


class RateLimited(Rejected):
    code = "rate_limited"
    status = 429


# Backends -------------------------------------------------------------------


class BackendError(IsomuxError, RuntimeError):
    code = "backend"


class BackendUnavailable(BackendError):
    code = "backend_unavailable"


class BackendProtocolError(BackendError):
    code = "backend_protocol"
