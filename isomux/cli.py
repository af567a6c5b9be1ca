"""The ``isomux`` command: ``serve`` runs the office; ``invite``, ``members`` and ``token`` manage people.

The management commands talk to the running office over its REST API with the owner's
command-line credential, derived from ``ISOMUX_HOME/secret`` (so they work for whoever
can read the office's files, and for nobody else).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import trio

from isomux import __version__
from isomux.errors import CorruptFile
from isomux.services import Config
from isomux.store.layout import default_home
from isomux.tokens import admin_token, load_or_create_secret

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="isomux", description="A self-hosted office for coding agents.")
    parser.add_argument("--version", action="version", version=f"isomux {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    home_help = "where the office keeps its state (default: $ISOMUX_HOME or ~/.isomux)"

    serve = sub.add_parser("serve", help="run the office")
    serve.add_argument("--home", type=Path, default=None, help=home_help)
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=4000, help="port to listen on (default: 4000; 0 picks a free one)")
    serve.add_argument(
        "--idle-timeout",
        type=float,
        default=600.0,
        help="seconds an idle agent keeps its CLI process before it is stopped (default: 600)",
    )
    serve.add_argument(
        "--demo-delay",
        type=float,
        default=0.03,
        help="pause between the demo agent's streamed words, in seconds (default: 0.03)",
    )
    serve.add_argument("--web-dir", type=Path, default=None, help="serve the browser app from this directory")
    serve.add_argument("--codex-bin", default=None, help="the codex binary to run for Codex agents")
    serve.add_argument("--claude-cli", default=None, help="the Claude Code CLI to run for Claude agents")
    serve.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark sign-in cookies Secure (use when a TLS proxy such as `tailscale serve` fronts it)",
    )
    serve.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])

    invite = sub.add_parser("invite", help="print an invite link for a new person (the office must be running)")
    invite.add_argument("--home", type=Path, default=None, help=home_help)
    invite.add_argument("--role", choices=["member", "owner"], default="member")
    invite.add_argument(
        "--rooms", default=None, help="comma-separated room names or ids a member may see (default: all)"
    )
    invite.add_argument("--name", default=None, help="the person's name (otherwise they choose it when joining)")
    invite.add_argument("--expires", type=float, default=72.0, help="hours until the link expires (default: 72)")
    invite.add_argument(
        "--url",
        default=None,
        help="the address people use to reach the office, e.g. https://box.tailnet.ts.net (default: where it listens)",
    )

    members = sub.add_parser("members", help="list the office's members, or remove one with --remove")
    members.add_argument("--home", type=Path, default=None, help=home_help)
    members.add_argument("--remove", metavar="NAME_OR_ID", default=None)

    token = sub.add_parser(
        "token", help="issue a token that lets another office's agents file tasks and send messages here"
    )
    token.add_argument("--home", type=Path, default=None, help=home_help)
    token.add_argument("label", help="who the token is for, e.g. the other office's name")
    return parser


class Office:
    """The running office, as the command line reaches it."""

    def __init__(self, home: Path) -> None:
        info_path = home / "server.json"
        try:
            info = json.loads(info_path.read_text())
        except (OSError, ValueError):
            raise SystemExit(f"isomux: no office is running from {home} (start it with `isomux serve`).") from None
        self.url = str(info["url"])
        self.token = admin_token(load_or_create_secret(home / "secret"))

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read())["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = str(exc)
            raise SystemExit(f"isomux: {message}") from None
        except urllib.error.URLError as exc:
            raise SystemExit(
                f"isomux: the office at {self.url} did not answer ({exc.reason}); is it running?"
            ) from None


def _home(args: argparse.Namespace) -> Path:
    return Path(args.home or default_home()).expanduser().resolve()


def _invite(args: argparse.Namespace) -> int:
    office = Office(_home(args))
    rooms = None
    if args.rooms:
        wanted = [r.strip() for r in args.rooms.split(",") if r.strip()]
        known = office.call("GET", "/api/rooms")
        rooms = []
        for name in wanted:
            match = [r["id"] for r in known if name in (r["id"], r["name"])]
            if not match:
                raise SystemExit(f"isomux: there is no room called {name!r}")
            rooms.append(match[0])
    made = office.call(
        "POST", "/api/invites", {"role": args.role, "rooms": rooms, "name": args.name, "expiresInHours": args.expires}
    )
    link = f"{args.url.rstrip('/')}/join#{made['token']}" if args.url else made["link"]
    print(f"Send this link to the person (it works once, for {args.expires:g} hours):\n{link}")
    return 0


def _members(args: argparse.Namespace) -> int:
    office = Office(_home(args))
    people = office.call("GET", "/api/members")
    if args.remove:
        found = [p for p in people if args.remove in (p["id"], p["name"])]
        if not found:
            raise SystemExit(f"isomux: no member called {args.remove!r}")
        office.call("DELETE", f"/api/members/{found[0]['id']}")
        print(f"Removed {found[0]['name']}; their browsers were signed out.")
        return 0
    for p in people:
        rooms = "all rooms" if p["rooms"] is None else f"{len(p['rooms'])} room(s)"
        print(f"{p['name']:<24} {p['role']:<7} {rooms:<12} devices: {', '.join(p['devices']) or '-'}  ({p['id']})")
    return 0


def _token(args: argparse.Namespace) -> int:
    made = Office(_home(args)).call("POST", "/api/office-tokens", {"label": args.label})
    print(
        f"Token for {made['label']} (shown once; give it to the other office's agents as a Bearer token):\n"
        f"{made['token']}"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=getattr(logging, args.log_level),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    config = Config(
        home=_home(args),
        host=args.host,
        port=args.port,
        idle_timeout=args.idle_timeout,
        demo_delay=args.demo_delay,
        web_dir=args.web_dir,
        codex_bin=args.codex_bin,
        claude_cli=args.claude_cli,
        secure_cookies=args.secure_cookies,
    )
    if args.host not in LOOPBACK and not args.secure_cookies:
        print(
            f"isomux: WARNING: listening on {args.host} over plain HTTP. Anyone who can reach this port can see "
            "sign-in cookies on the wire; put TLS in front (for example `tailscale serve`) and pass "
            "--secure-cookies.",
            file=sys.stderr,
        )

    def ready(url: str, owner_link: str | None) -> None:
        print(f"Isomux is running at {url}  (state in {config.home}; Ctrl+C to stop)", flush=True)
        if owner_link:
            print(
                f"No owner has signed in yet. Open this link in your browser to claim the office (it works once):"
                f"\n  {owner_link}",
                flush=True,
            )

    from isomux.server import serve as run

    try:
        trio.run(lambda: run(config, on_ready=ready, freeze_startup=True))
    except CorruptFile as exc:
        print(f"isomux: cannot start: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if getattr(exc, "errno", None) == 98:
            print(
                f"isomux: port {config.port} is already in use; stop the other program or pass --port.", file=sys.stderr
            )
            return 1
        raise
    print("Isomux stopped.", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"serve": _serve, "invite": _invite, "members": _members, "token": _token}
    return handlers[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
