"""The browser's protocol types are generated from the Python definitions and must not be stale."""

from __future__ import annotations

from pathlib import Path

from isomux.tsgen import generate

PROTOCOL_TS = Path(__file__).resolve().parent.parent / "web" / "src" / "protocol.ts"


def test_generated_protocol_types_are_current() -> None:
    assert PROTOCOL_TS.read_text(encoding="utf-8") == generate(), (
        "web/src/protocol.ts is stale: run `.venv/bin/python -m isomux.tsgen > web/src/protocol.ts`"
    )


def test_commands_make_defaulted_fields_optional_and_events_do_not() -> None:
    text = generate()
    spawn = text[text.index("export interface SpawnAgent") :].split("}", 1)[0]
    assert "  model?: string;" in spawn
    assert "  name: string;" in spawn
    spec = text[text.index("export interface AgentSpec") :].split("}", 1)[0]
    assert "  model: string;" in spec
    assert 'type: "spawn_agent";' in spawn
