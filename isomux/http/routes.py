"""Shared plumbing of the REST endpoints: the route decorator, JSON bodies and error responses.

Every endpoint goes through :func:`make_route`: the Origin check on writes, the body size
limit, identifying the caller (``Unauthorized`` when nobody is signed in), checking which
kinds of credential the endpoint accepts, and turning every error into a JSON answer with a
fitting status. Errors are ``{"error": {"code", "message"}}``: 400 invalid input, 401 not
signed in, 403 forbidden, 404 not found, 409 conflict, 413 too large, 429 rate limited, 503
when an actor did not answer in time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from quart import Response, request
from quart_trio import QuartTrio
from werkzeug.exceptions import HTTPException

from isomux.dispatch import Caller
from isomux.errors import AskTimeout, Forbidden, InvalidInput, IsomuxError, Rejected
from isomux.http.auth import Limiter, check_origin, identify
from isomux.services import Services

Handler = Callable[..., Awaitable[Any]]
Route = Callable[..., Callable[[Handler], Handler]]

log = logging.getLogger("isomux.http")

MAX_BODY = 1 << 20
PEOPLE = frozenset({"session", "admin"})
AGENTS = frozenset({"agent_token", "office_token"})


def _address() -> str:
    return str(request.remote_addr or "")


def require_owner(caller: Caller) -> None:
    if caller.role != "owner" or caller.kind != "person":
        raise Forbidden("only the office's owners can do this")


def error_response(exc: BaseException) -> Response:
    if isinstance(exc, Rejected):
        status, code, message = exc.status, exc.code, str(exc)
    elif isinstance(exc, AskTimeout):
        status, code, message = 503, exc.code, "the office is busy; try again in a moment"
    elif isinstance(exc, IsomuxError):
        status, code, message = 500, exc.code, str(exc)
    else:
        status, code, message = 500, "internal", "internal error (see the server log)"
    return Response(
        json.dumps({"error": {"code": code, "message": message}}), status=status, content_type="application/json"
    )


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


async def body() -> dict[str, Any]:
    """The request's JSON object body (empty when there is none)."""
    raw = await request.get_data(cache=False, as_text=False)
    if not raw:
        return {}
    if request.mimetype != "application/json":
        raise InvalidInput("send the body as JSON with Content-Type: application/json")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object")
    return data


def make_route(app: QuartTrio, s: Services, limiter: Limiter) -> Route:
    """A decorator registering an endpoint ``fn(caller, **url_params)`` behind the shared checks."""

    def route(
        rule: str, methods: list[str], *, created: bool = False, allow: frozenset[str] = PEOPLE, public: bool = False
    ) -> Callable[[Handler], Handler]:
        def decorate(fn: Handler) -> Handler:
            @wraps(fn)
            async def handler(**kw: Any) -> Response:
                try:
                    if request.method not in ("GET", "HEAD", "OPTIONS"):
                        check_origin(request.headers)
                    request.max_content_length = MAX_BODY
                    if public:
                        caller = Caller(name="anyone", role="member", source="internal")
                    else:
                        caller = await identify(s, request.headers, limiter=limiter, address=_address())
                        if caller.source not in allow:
                            raise Forbidden("this endpoint is not available with that credential")
                    result = await fn(caller, **kw)
                except IsomuxError as exc:
                    return error_response(exc)
                except HTTPException as exc:
                    code = "too_large" if exc.code == 413 else "http"
                    message = "the request body is too large" if exc.code == 413 else str(exc.description)
                    return Response(
                        json.dumps({"error": {"code": code, "message": message}}),
                        status=exc.code or 400,
                        content_type="application/json",
                    )
                except Exception as exc:
                    log.exception("error in %s %s", request.method, request.path)
                    return error_response(exc)
                if isinstance(result, Response):
                    return result
                return json_response(result, 201 if created else 200)

            app.add_url_rule(rule, fn.__name__, handler, methods=methods)
            return handler

        return decorate

    return route
