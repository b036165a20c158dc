"""A loopback fake of the Slack Web API, in the style of bolt-python's mock_web_api_server.

Serves ``/api/<method>`` (form or JSON bodies), file downloads under ``/files/`` and
``response_url`` posts under ``/response/``. Records every call, counts hits per path, validates
message payloads the way Slack does (50 blocks, 3,000 characters per section, 40,000 of text) and
can be scripted per method (or per method and channel): a 429 with ``Retry-After``, any status,
or a connection reset after the call was recorded (T11).

Message timestamps follow the wall clock, as Slack's do, and ``conversations.replies`` /
``conversations.history`` page like Slack: ``oldest``/``latest``/``inclusive``, ``limit`` and a
``cursor`` (replies oldest first, history newest first and top-level only), so a long thread
(``seed_thread``) behaves as it would on Slack.

File uploads follow Slack's current API (what ``files_upload_v2`` calls):
``files.getUploadURLExternal`` returns an upload URL on this stub (``/upload/<file id>``), the
raw bytes posted there are kept, and ``files.completeUploadExternal`` shares the uploaded files
in a channel; ``uploaded()`` returns them with their bytes.
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T1"


@dataclass
class Call:
    """One request the fake received."""

    method: str
    payload: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    path: str = ""


@dataclass
class Scripted:
    """A canned reply: ``reset`` closes the socket without answering (after recording); with
    ``apply`` the call takes effect first (Slack stored the message, the reply was lost), also
    before a scripted error status (a 5xx after the message was stored)."""

    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False
    apply: bool = False
    delay_s: float = 0.0


def _payload_problem(payload: dict[str, Any]) -> str | None:
    blocks = payload.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if blocks is not None:
        if len(blocks) > 50:
            return "invalid_blocks"
        for block in blocks:
            text = (block.get("text") or {}).get("text", "")
            if block.get("type") == "section" and len(text) > 3000:
                return "invalid_blocks"
    if len(str(payload.get("text") or "")) > 40_000:
        return "msg_too_long"
    return None


class SlackApiStub:
    """Start with ``with SlackApiStub() as stub:``; ``stub.api_url`` is the Web API base URL."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.hits: Counter[str] = Counter()
        self.scripts: dict[str, list[Scripted]] = {}
        self.channel_scripts: dict[tuple[str, str], list[Scripted]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.file_bytes: dict[str, bytes] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.pending_uploads: dict[str, dict[str, Any]] = {}
        self.upload_bytes: dict[str, bytes] = {}
        self.shared_files: list[dict[str, Any]] = []
        self._file_ids = itertools.count(1)
        self.response_status: int = 200
        self.ws_url: str | None = None
        self.delay_s: float = 0.0
        self._ts = itertools.count(1)
        self._last_ts = 0.0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        ThreadingHTTPServer.request_queue_size = 128
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.base}/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SlackApiStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- scripting -------------------------------------------------------------------------------
    def script(self, method: str, *replies: Scripted) -> None:
        """Queue canned replies for ``method``; normal behaviour resumes when they run out."""
        self.scripts.setdefault(method, []).extend(replies)

    def script_channel(self, method: str, channel: str, *replies: Scripted) -> None:
        """Queue canned replies for ``method`` calls to one channel only (checked first)."""
        with self._lock:
            self.channel_scripts.setdefault((method, channel), []).extend(replies)

    def _scripted(self, method: str, payload: dict[str, Any]) -> Scripted | None:
        with self._lock:
            mine = self.channel_scripts.get((method, str(payload.get("channel"))))
            if mine:
                return mine.pop(0)
            queued = self.scripts.get(method)
            return queued.pop(0) if queued else None

    def add_file(
        self, file_id: str, name: str, content: bytes, user: str, url: str | None = None
    ) -> None:
        """Make ``files.info`` know a file; by default it downloads from this stub."""
        self.file_bytes[file_id] = content
        self.files[file_id] = {
            "id": file_id,
            "name": name,
            "user": user,
            "size": len(content),
            "url_private_download": url or f"{self.base}/files/{file_id}/{quote(name)}",
        }

    def seed_message(self, channel: str, message: dict[str, Any]) -> None:
        """Add a message to a channel's history (for conversations.replies/history)."""
        with self._lock:
            self.messages.setdefault(channel, []).append(message)

    def seed_thread(
        self,
        channel: str,
        parent_ts: str,
        replies: int,
        *,
        user: str = "U2",
        since: float | None = None,
    ) -> list[dict[str, Any]]:
        """A thread of ``replies`` messages by ``user`` under ``parent_ts`` (added first if new).

        Reply timestamps are spread over the second before ``since`` (default: now), so they are
        recent and older than anything posted afterwards.
        """
        end = time.time() if since is None else since
        with self._lock:
            history = self.messages.setdefault(channel, [])
            if not any(m["ts"] == parent_ts for m in history):
                history.append({"ts": parent_ts, "user": user, "text": "a long discussion"})
            added = [
                {
                    "ts": f"{end - 1 + n / (replies + 1):.6f}",
                    "thread_ts": parent_ts,
                    "user": user,
                    "text": f"reply {n}",
                }
                for n in range(replies)
            ]
            history.extend(added)
        return added

    def response_url(self, name: str = "r1") -> str:
        """A response_url served by this stub."""
        return f"{self.base}/response/{name}"

    # -- inspection ------------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        """Every recorded call to ``method`` (``response`` for response_url posts)."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until ``method`` was called ``count`` times (or the timeout passes)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len([c for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            return [c for c in self.calls if c.method == method]

    def posts(self) -> list[Call]:
        """Messages that reached a user: postMessage, postEphemeral and response_url posts."""
        with self._lock:
            kinds = {"chat.postMessage", "chat.postEphemeral", "response"}
            return [c for c in self.calls if c.method in kinds]

    def uploaded(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Files shared by ``files.completeUploadExternal`` (in ``channel``), with ``content``."""
        with self._lock:
            shared = [dict(f) for f in self.shared_files]
            found = dict(self.upload_bytes)
        return [
            {**f, "content": found.get(f["id"], b"")}
            for f in shared
            if channel is None or f["channel"] == channel
        ]

    # -- behaviour -------------------------------------------------------------------------------
    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _next_ts(self) -> str:
        """A wall-clock ts, strictly increasing (Slack's ts are unique per channel)."""
        with self._lock:
            self._last_ts = max(time.time(), self._last_ts + 0.000_001)
            next(self._ts)
            return f"{self._last_ts:.6f}"

    @staticmethod
    def _page(
        found: list[dict[str, Any]], p: dict[str, Any], newest_first: bool, default_limit: int
    ) -> dict[str, Any]:
        """Slack's timeline filters and cursor paging over ``found``."""
        inclusive = str(p.get("inclusive", "")).lower() in ("1", "true")
        oldest, latest = p.get("oldest"), p.get("latest")

        def keep(m: dict[str, Any]) -> bool:
            ts = float(m["ts"])
            if oldest is not None and (
                ts < float(oldest) or (ts == float(oldest) and not inclusive)
            ):
                return False
            return not (
                latest is not None
                and (ts > float(latest) or (ts == float(latest) and not inclusive))
            )

        ordered = sorted((m for m in found if keep(m)), key=lambda m: float(m["ts"]))
        if newest_first:
            ordered.reverse()
        start = int(str(p.get("cursor") or "off:0").split(":")[1])
        limit = int(p.get("limit") or default_limit)
        page = ordered[start : start + limit]
        more = start + limit < len(ordered)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": f"off:{start + limit}" if more else ""},
        }

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            problem = _payload_problem(p)
            if problem:
                return {"ok": False, "error": problem}
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        return handler(p) if handler else {"ok": True}

    def _m_auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "team_id": TEAM,
            "user": "changebot",
        }

    def _m_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel"))
        if channel.startswith("U"):
            channel = "D" + channel[1:]
        ts = self._next_ts()
        message = {
            "ts": ts,
            "text": p.get("text"),
            "bot_id": BOT_ID,
            "user": BOT_USER,
            "thread_ts": p.get("thread_ts") or ts,
        }
        self.seed_message(channel, message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _m_chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}

    def _m_conversations_replies(self, p: dict[str, Any]) -> dict[str, Any]:
        thread = str(p.get("ts"))
        with self._lock:
            history = list(self.messages.get(str(p.get("channel")), []))
        found = [m for m in history if m.get("thread_ts", m["ts"]) == thread or m["ts"] == thread]
        return self._page(found, p, newest_first=False, default_limit=1000)

    def _m_conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            history = list(self.messages.get(str(p.get("channel")), []))
        top = [m for m in history if m.get("thread_ts", m["ts"]) == m["ts"]]
        return self._page(top, p, newest_first=True, default_limit=100)

    def _m_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        user = str(p.get("users") or "").split(",")[0]
        if not user.startswith(("U", "W")):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": "D" + user[1:]}}

    def _m_conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel"))
        info = self.channels.get(channel, {"is_ext_shared": False})
        return {"ok": True, "channel": {"id": channel, **info}}

    def _m_files_info(self, p: dict[str, Any]) -> dict[str, Any]:
        info = self.files.get(str(p.get("file")))
        return {"ok": True, "file": info} if info else {"ok": False, "error": "file_not_found"}

    def _m_files_getUploadURLExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("filename") or not str(p.get("length") or "").isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        with self._lock:
            file_id = f"F{next(self._file_ids):06d}"
            self.pending_uploads[file_id] = {
                "filename": str(p["filename"]),
                "length": int(p["length"]),
                "alt_txt": p.get("alt_txt"),
            }
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}

    def _m_files_completeUploadExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        try:
            files = json.loads(str(p.get("files") or "[]"))
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        done = []
        with self._lock:
            for item in files:
                pending = self.pending_uploads.get(str(item.get("id")))
                content = self.upload_bytes.get(str(item.get("id")))
                if pending is None or content is None or len(content) != pending["length"]:
                    return {"ok": False, "error": "file_not_found"}
                done.append(
                    {
                        "id": item["id"],
                        "name": pending["filename"],
                        "title": item.get("title") or pending["filename"],
                        "alt_txt": pending["alt_txt"],
                        "channel": p.get("channel_id") or p.get("channels"),
                        "initial_comment": p.get("initial_comment"),
                    }
                )
            self.shared_files.extend(done)
        return {
            "ok": True,
            "files": [{"id": f["id"], "name": f["name"], "title": f["title"]} for f in done],
        }

    def _m_apps_connections_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.ws_url} if self.ws_url else {"ok": False, "error": "no_ws"}

    def _m_views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V1"}}

    _m_views_publish = _m_views_open

    # -- HTTP --------------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _reset(self) -> None:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                stub.hits[path] += 1
                parts = path.strip("/").split("/")
                if len(parts) >= 2 and parts[0] == "files" and parts[1] in stub.file_bytes:
                    stub._record(Call("download", {"file": parts[1]}, dict(self.headers)))
                    self._send(200, stub.file_bytes[parts[1]], "application/octet-stream", {})
                else:
                    self._send(404, b"not found", "text/plain", {})

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                stub.hits[path] += 1
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if path.startswith("/upload/"):  # the URL files.getUploadURLExternal gave out
                    file_id = path.removeprefix("/upload/")
                    stub._record(
                        Call(
                            "upload",
                            {"file": file_id, "size": len(raw)},
                            dict(self.headers),
                            path=path,
                        )
                    )
                    known = file_id in stub.pending_uploads
                    if known:
                        with stub._lock:
                            stub.upload_bytes[file_id] = raw
                    status, reply_text = (200, b"OK - 0") if known else (404, b"not found")
                    self._send(status, reply_text, "text/plain", {})
                    return
                if "json" in (self.headers.get("Content-Type") or ""):
                    payload = json.loads(raw or b"{}")
                else:
                    payload = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                if stub.delay_s:
                    time.sleep(stub.delay_s)
                if path.startswith("/response/"):
                    stub._record(Call("response", payload, dict(self.headers), path=path))
                    self._send(stub.response_status, b"ok", "text/plain", {})
                    return
                method = path.removeprefix("/api/")
                stub._record(Call(method, payload, dict(self.headers), path=path))
                reply = stub._scripted(method, payload)
                if reply and reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply and reply.apply:
                    stub._answer(method, payload)
                if reply and reply.reset:
                    self._reset()
                    return
                if reply:
                    body = json.dumps(reply.body or {"ok": False, "error": "ratelimited"}).encode()
                    self._send(reply.status, body, "application/json", reply.headers)
                    return
                body = json.dumps(stub._answer(method, payload)).encode()
                self._send(200, body, "application/json", {})

        return Handler


class CountingServer:
    """Any-path HTTP server that only counts hits: the "bad host" for SSRF tests."""

    def __init__(self) -> None:
        self.hits = 0
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                counter.hits += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"secret internal data")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> CountingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
