"""A scripted stand-in for `codex app-server`, used only to test framing, crashes and stderr floods.

It reads JSON Lines on stdin and acts on the method name of each request:

    echo            answer {"method", "params"}
    fail            answer with a JSON-RPC error whose message is params["message"]
    ask             send the client a request (an approval) and answer with the client's reply
    notify          send params["count"] notifications, then answer
    stderr_flood    write params["bytes"] of log lines to stderr, then "flood done", then answer
    crash           write params["stderr"] to stderr and exit with params["code"] without answering
    spawn_child     start `sleep 300` in the same process group and answer {"pid"}
    hang            never answer
    dribble         answer {"text": params["text"]} one byte at a time
    garbage         write a non-JSON line and an answer to an unknown id, then answer
    huge_line       write one line of params["bytes"] bytes, then answer

Options: --ignore-eof keeps running after stdin closes; --ignore-term ignores SIGTERM.
Run it with the test's own Python interpreter.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

out = sys.stdout.buffer


def send(message: dict[str, Any]) -> None:
    out.write(json.dumps(message).encode() + b"\n")
    out.flush()


def answer(request: dict[str, Any], result: Any) -> None:
    send({"id": request["id"], "result": result})


def handle(request: dict[str, Any], awaiting: dict[int, int]) -> None:
    method = request["method"]
    params = request.get("params") or {}
    if method == "echo":
        answer(request, {"method": method, "params": params})
    elif method == "fail":
        send({"id": request["id"], "error": {"code": -32600, "message": params["message"]}})
    elif method == "ask":
        server_id = len(awaiting)
        awaiting[server_id] = request["id"]
        send({"id": server_id, "method": "item/commandExecution/requestApproval", "params": params})
    elif method == "notify":
        for i in range(params["count"]):
            send({"method": "item/agentMessage/delta", "params": {"delta": str(i)}})
        answer(request, {"sent": params["count"]})
    elif method == "stderr_flood":
        line = b"x" * 99 + b"\n"
        for _ in range(params["bytes"] // len(line)):
            sys.stderr.buffer.write(line)
        sys.stderr.buffer.write(b"flood done\n")
        sys.stderr.buffer.flush()
        answer(request, {"flooded": True})
    elif method == "crash":
        sys.stderr.write(params["stderr"])
        sys.stderr.flush()
        os._exit(params["code"])
    elif method == "spawn_child":
        child = subprocess.Popen(["sleep", "300"])
        answer(request, {"pid": child.pid})
    elif method == "hang":
        pass
    elif method == "dribble":
        data = json.dumps({"id": request["id"], "result": {"text": params["text"]}}).encode() + b"\n"
        for i in range(len(data)):
            out.write(data[i : i + 1])
            out.flush()
            time.sleep(0.001)
    elif method == "garbage":
        out.write(b"this is not json\n")
        send({"id": 999_999, "result": {}})
        answer(request, {"after": "garbage"})
    elif method == "huge_line":
        out.write(b"x" * params["bytes"] + b"\n")
        answer(request, {"after": "huge"})
    else:
        send({"id": request["id"], "error": {"code": -32601, "message": f"unknown method {method}"}})


def main() -> None:
    if "--ignore-term" in sys.argv:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    awaiting: dict[int, int] = {}
    for raw in sys.stdin.buffer:
        message = json.loads(raw)
        if "method" in message and "id" in message:
            handle(message, awaiting)
        elif "method" not in message:
            send({"id": awaiting.pop(message["id"]), "result": {"answer": message}})
    if "--ignore-eof" in sys.argv:
        while True:
            time.sleep(60)


if __name__ == "__main__":
    main()
