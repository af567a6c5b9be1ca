"""The Codex backend: `codex app-server` driven over JSON-RPC on stdio."""
