"""The safety policy shared by every backend: what agents' tool calls may and may not do."""

from isomux.safety.policy import (
    PolicyContext,
    Verdict,
    check_command,
    check_read_path,
    check_tool,
    check_write_path,
)

__all__ = ["PolicyContext", "Verdict", "check_command", "check_read_path", "check_tool", "check_write_path"]
