"""The web actor: Hypercorn serving the Quart-Trio app inside the actor tree.

Started last and stopped first. On stop it closes every browser connection cleanly
(close code 1001, so browsers reconnect to the next server), then asks Hypercorn to
shut down through its ``shutdown_trigger``. The listening socket is made here with
``TCP_USER_TIMEOUT``, so a peer that stops acknowledging data is dropped by the kernel
instead of holding a send (and a shutdown) forever.

Restart: permanent. Shutdown: browsers closed, then up to ``graceful`` seconds for open
requests.
"""

from __future__ import annotations

import logging
import os
import socket
from functools import partial
from pathlib import Path
from typing import Any

import hypercorn.config
import hypercorn.trio
import trio
from quart import Response, send_from_directory
from quart_trio import QuartTrio
from werkzeug.exceptions import NotFound as HTTPNotFound

from isomux.actors import ActorContext
from isomux.http import people_routes, rest
from isomux.http.auth import Limiter
from isomux.http.routes import MAX_BODY, make_route
from isomux.http.ws import RecentRequests, connection_handler
from isomux.outbox import Outbox
from isomux.people import OwnerLink
from isomux.services import Services
from isomux.store.atomic import write_json_atomic

log = logging.getLogger("isomux.web")

USER_TIMEOUT_MS = 20_000


class LiveConnections(set[Outbox]):
    """The open browser connections, so shutdown can close them and wait until they are gone."""

    def __init__(self) -> None:
        super().__init__()
        self._lot = trio.lowlevel.ParkingLot()

    def discard(self, outbox: object) -> None:
        super().discard(outbox)
        if not self:
            self._lot.unpark_all()

    async def empty(self) -> None:
        while self:
            await self._lot.park()


def find_web_dir(configured: Path | None) -> Path | None:
    candidates = [configured] if configured else []
    here = Path(__file__).resolve().parent.parent
    candidates += [here / "static", here.parent / "web" / "dist"]
    for candidate in candidates:
        if candidate is not None and (candidate / "index.html").is_file():
            return candidate
    return None


NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Isomux</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Isomux is running</h1><p>The browser app has not been built. From the repository, run
<code>make run</code> (it builds <code>web/</code> and starts the office), or build it with
<code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code> and reload this page.</p>
<p>The REST API is available meanwhile, for example <a href="/api/health">/api/health</a>.</p>"""


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def create_app(services: Services, live: LiveConnections) -> QuartTrio:
    app = QuartTrio(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    route = make_route(app, services, Limiter())
    rest.install(app, services, route)
    people_routes.install(app, services, route, live)
    app.add_websocket("/ws", "ws", connection_handler(services, RecentRequests(), live))

    @app.after_request
    async def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    web_dir = find_web_dir(services.config.web_dir)

    async def static(path: str = "") -> Any:
        if path.startswith(("api/", "ws")):
            return Response(
                '{"error":{"code":"not_found","message":"no such endpoint"}}',
                status=404,
                content_type="application/json",
            )
        if web_dir is None:
            return Response(NOT_BUILT, content_type="text/html; charset=utf-8")
        if path:
            try:
                response = await send_from_directory(web_dir, path)
            except HTTPNotFound:
                response = None
            if response is not None:
                immutable = path.startswith("assets/")
                response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
                response.headers["X-Content-Type-Options"] = "nosniff"
                return response
        response = await send_from_directory(web_dir, "index.html")
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.add_url_rule("/", "index", static, methods=["GET"])
    app.add_url_rule("/<path:path>", "static_files", static, methods=["GET"])
    return app


def _write_server_file(services: Services, owner_link: str | None) -> None:
    """Tell the ``isomux`` command where this office is listening (and the pending owner link)."""
    write_json_atomic(
        services.layout.home / "server.json", {"url": services.url, "pid": os.getpid(), "ownerLink": owner_link}
    )


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "TCP_USER_TIMEOUT"):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, USER_TIMEOUT_MS)
    sock.bind((host, port))
    return sock


async def run_web(
    ctx: ActorContext[Any],
    *,
    services: Services,
    on_ready: Any = None,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    live = LiveConnections()
    app = create_app(services, live)
    sock = listening_socket(services.config.host, services.config.port)
    cfg = hypercorn.config.Config()
    cfg.bind = [f"fd://{sock.detach()}"]
    cfg.accesslog = None
    cfg.errorlog = logging.getLogger("hypercorn.error")
    cfg.graceful_timeout = 3.0
    cfg.websocket_max_message_size = 2 << 20
    stop = trio.Event()
    async with trio.open_nursery() as nursery:
        binds = await nursery.start(partial(hypercorn.trio.serve, app, cfg, shutdown_trigger=stop.wait))
        url = binds[0].replace("0.0.0.0", "127.0.0.1") if binds else f"http://{services.config.host}"
        services.url = url.rstrip("/")
        owner_token: str | None = await services.people.ask(lambda r: OwnerLink(7 * 24 * 3600, r), timeout=10)
        owner_link = people_routes.join_link(services.url, owner_token) if owner_token else None
        await trio.to_thread.run_sync(_write_server_file, services, owner_link)
        if on_ready is not None:
            on_ready(services.url, owner_link)
        task_status.started()
        await ctx.stopping.wait()
        for outbox in list(live):
            outbox.close()
        with trio.move_on_after(3):
            await live.empty()
        stop.set()
