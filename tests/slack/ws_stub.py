"""A loopback Socket Mode server: scripted envelopes per connection, acks recorded (T13)."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve


class SocketModeStub:
    """``sessions[n]`` is the list of frames sent on the n-th connection after ``hello``.

    A frame ``{"wait_ack": "env-id"}`` pauses until that envelope was acked; ``{"close": True}``
    ends the connection from the server side.
    """

    def __init__(self, sessions: list[list[dict[str, Any]]]) -> None:
        self.sessions = sessions
        self.acks: list[str] = []
        self.connections = 0
        self._lock = threading.Condition()
        self._server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SocketModeStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    def wait_acks(self, envelope_id: str, count: int = 1, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.acks.count(envelope_id) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def _reader(self, ws: ServerConnection) -> None:
        try:
            for raw in ws:
                data = json.loads(raw)
                with self._lock:
                    if "envelope_id" in data:
                        self.acks.append(data["envelope_id"])
                    self._lock.notify_all()
        except ConnectionClosed:
            return

    def _handle(self, ws: ServerConnection) -> None:
        with self._lock:
            number = self.connections
            self.connections += 1
        ws.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        )
        reader = threading.Thread(target=self._reader, args=(ws,), daemon=True)
        reader.start()
        for frame in self.sessions[number] if number < len(self.sessions) else []:
            if "wait_ack" in frame:
                self.wait_acks(frame["wait_ack"])
            elif frame.get("close"):
                ws.close()
                return
            else:
                ws.send(json.dumps(frame))
        reader.join()
