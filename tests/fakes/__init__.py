"""Mock model servers that let the real Claude Code CLI and the real codex run offline in tests.

Replies are scripted by markers in the prompt (:mod:`tests.fakes.script`); the Anthropic mock is in
:mod:`tests.fakes.mock_anthropic`, the OpenAI Responses mock in :mod:`tests.fakes.mock_openai`, and
:mod:`tests.fakes.codex_home` writes the codex configuration that points at the latter.
"""

from .codex_home import codex_binary as codex_binary
from .codex_home import make_codex_home as make_codex_home
from .http import MockServer as MockServer
from .http import Request as Request
from .mock_anthropic import run_mock_anthropic as run_mock_anthropic
from .mock_openai import run_mock_openai as run_mock_openai

__all__ = [
    "MockServer",
    "Request",
    "codex_binary",
    "make_codex_home",
    "run_mock_anthropic",
    "run_mock_openai",
]
