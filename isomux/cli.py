"""The ``isomux`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import trio

from isomux import __version__
from isomux.errors import CorruptFile
from isomux.services import Config
from isomux.store.layout import default_home


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="isomux", description="A self-hosted office for coding agents.")
    parser.add_argument("--version", action="version", version=f"isomux {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the office")
    serve.add_argument(
        "--home", type=Path, default=None, help="where the office keeps its state (default: $ISOMUX_HOME or ~/.isomux)"
    )
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
    serve.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("isomux: until sign-in is set up, the office only listens on this machine (127.0.0.1).", file=sys.stderr)
        return 2
    config = Config(
        home=(args.home or default_home()).expanduser().resolve(),
        host=args.host,
        port=args.port,
        idle_timeout=args.idle_timeout,
        demo_delay=args.demo_delay,
        web_dir=args.web_dir,
    )

    def ready(url: str) -> None:
        print(f"Isomux is running at {url}  (state in {config.home}; Ctrl+C to stop)", flush=True)

    from isomux.server import serve as run

    try:
        trio.run(lambda: run(config, on_ready=ready))
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


if __name__ == "__main__":
    raise SystemExit(main())
