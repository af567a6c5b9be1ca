"""Dotenv files for the office and for rooms: ``KEY=value`` lines merged into agents' environments.

Only the number of keys is ever shown to people; values never leave the server.
"""

from __future__ import annotations

import re
from pathlib import Path

from isomux.errors import InvalidInput

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
MAX_SIZE = 1 << 20


def parse_env(text: str, source: str = "the env file") -> dict[str, str]:
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise InvalidInput(f"{source}, line {number}: expected KEY=value")
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            quote, value = value[0], value[1:-1]
            if quote == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


def load_env_file(path_text: str) -> dict[str, str]:
    """Read a dotenv file named by a person; every problem is a clear ``InvalidInput``."""
    path = Path(path_text).expanduser()
    if not path.is_absolute():
        raise InvalidInput(f"env file {path_text!r} must be an absolute path")
    try:
        if path.stat().st_size > MAX_SIZE:
            raise InvalidInput(f"env file {path} is larger than 1 MiB")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"env file {path} does not exist") from None
    except IsADirectoryError:
        raise InvalidInput(f"env file {path} is a directory") from None
    except PermissionError:
        raise InvalidInput(f"env file {path} cannot be read (permission denied)") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"env file {path} is not UTF-8 text") from None
    return parse_env(text, str(path))
