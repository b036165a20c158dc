"""Transport hardening: odd signature headers are a clean 401, and a stalled client is cut off.

Every request goes over loopback to the real ``make_http_server`` and bolt app, like
``test_transport.py``. Raw sockets are used where ``http.client`` would refuse to send the bytes
(non-Latin-1 header values, duplicate headers, half a request).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import socket
import struct
import threading
import time
from collections.abc import Callable

import pytest
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

import tests.slack.harness as harness_module
from bot.slack.server import http_endpoint
from bot.slack.server.http_endpoint import QuietHandler, make_http_server
from bot.slack.server.signature import SignedRequests
from tests.slack.conftest import settle
from tests.slack.harness import SECRET, Harness, message_event, sign

SECRET_WORDS = "secret patient words"
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def body_with_secret_words() -> bytes:
    event = message_event(f"<@UBOT> {SECRET_WORDS}", kind="app_mention")
    envelope = {"type": "event_callback", "team_id": "T1", "event_id": "EvOdd", "event": event}
    return json.dumps(envelope).encode()


def now() -> str:
    return str(int(time.time()))


def raw_request(port: int, head: list[bytes], body: bytes = b"", timeout: float = 10) -> bytes:
    """Send exactly these header lines and body; return everything the server sent back."""
    lines = [b"POST /slack/events HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close", *head]
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        return read_to_eof(sock)


def read_to_eof(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def signed_head(body: bytes, timestamp: bytes, signature: bytes | None = None) -> list[bytes]:
    """Content headers plus the two Slack headers with these exact bytes."""
    if signature is None:
        signature = sign(body, timestamp.decode("utf-8", "replace")).encode()
    return [
        b"Content-Type: application/json",
        b"Content-Length: %d" % len(body),
        b"X-Slack-Request-Timestamp: " + timestamp,
        b"X-Slack-Signature: " + signature,
    ]


def assert_nothing_leaked(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    err = capfd.readouterr().err
    for text in (caplog.text, err):
        assert "Traceback" not in text and SECRET_WORDS not in text


def nothing_ran(stub, services, runtime) -> None:
    settle(runtime)
    assert services.responder.calls == 0
    assert stub.posts() == []


NON_ASCII: dict[str, Callable[[], str]] = {
    "superscript-now": lambda: now().translate(SUPERSCRIPTS),
    "arabic-indic-now": lambda: now().translate(ARABIC_INDIC),
    "full-width-now": lambda: now().translate(FULL_WIDTH),
    "superscript-123": lambda: "¹²³",
    "arabic-123": lambda: "١٢٣",
    "full-width-123": lambda: "１２３",
}
# http.server decodes header bytes as Latin-1: UTF-8 arrives as mojibake, Latin-1 as itself
ENCODED = [
    pytest.param(make, encoding, id=f"{name}-{encoding}")
    for name, make in NON_ASCII.items()
    for encoding in ("utf-8", "latin-1")
    if encoding == "utf-8" or all(ord(c) < 256 for c in make())
]


@pytest.mark.parametrize(("make_ts", "encoding"), ENCODED)
def test_non_ascii_digit_timestamps_get_401(
    harness, stub, services, runtime, caplog, capfd, make_ts, encoding
) -> None:
    """T4: ``str.isdigit`` accepts these; the server must not (nor crash on ``int``/ascii)."""
    raw_ts = make_ts().encode(encoding)
    body = body_with_secret_words()
    reply = raw_request(harness.port, signed_head(body, raw_ts), body)
    assert status_of(reply) == 401
    assert b"Traceback" not in reply
    nothing_ran(stub, services, runtime)
    assert_nothing_leaked(caplog, capfd)


def test_superscript_timestamp_through_http_client(harness, caplog, capfd) -> None:
    """The simplest reproduction: http.client sends "¹²³" as Latin-1 bytes."""
    status, body, _ = harness.post(body_with_secret_words(), timestamp="¹²³")
    assert status == 401 and b"Traceback" not in body
    assert_nothing_leaked(caplog, capfd)


def _valid_sig(body: bytes) -> tuple[bytes, bytes]:
    ts = now()
    return ts.encode(), sign(body, ts).encode()


ODD_HEADERS = {
    "no-timestamp": lambda body, ts, sig: [b"X-Slack-Signature: " + sig],
    "no-signature": lambda body, ts, sig: [b"X-Slack-Request-Timestamp: " + ts],
    "no-headers": lambda body, ts, sig: [],
    "empty-both": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: ",
        b"X-Slack-Signature: ",
    ],
    "whitespace-ts": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: \t  ",
        b"X-Slack-Signature: " + sig,
    ],
    "huge-ts": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + b"9" * 20000,
        b"X-Slack-Signature: " + sig,
    ],
    "leading-zeros-ts": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + b"0" * 20 + ts,
        b"X-Slack-Signature: " + sign(body, "0" * 20 + ts.decode()).encode(),
    ],
    "signed-ts": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: +" + ts,
        b"X-Slack-Signature: " + sign(body, "+" + ts.decode()).encode(),
    ],
    "underscored-ts": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts[:4] + b"_" + ts[4:],
        b"X-Slack-Signature: " + sign(body, ts[:4].decode() + "_" + ts[4:].decode()).encode(),
    ],
    "huge-sig": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: v0=" + b"a" * 20000,
    ],
    "non-hex-sig": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: v0=" + b"z" * 64,
    ],
    "short-sig": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: " + sig[:-2],
    ],
    "long-sig": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: " + sig + b"00",
    ],
    "no-v0-prefix": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: " + sig[3:],
    ],
    "v1-prefix": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: v1=" + sig[3:],
    ],
    "non-ascii-sig": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: " + sig[:-1] + "é".encode(),
    ],
    "duplicate-ts": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: " + sig,
    ],
    "duplicate-sig": lambda body, ts, sig: [
        b"X-Slack-Request-Timestamp: " + ts,
        b"X-Slack-Signature: " + sig,
        b"X-Slack-Signature: " + sig,
    ],
}


@pytest.mark.parametrize("make_head", ODD_HEADERS.values(), ids=ODD_HEADERS.keys())
def test_odd_signature_headers_get_401(
    harness, stub, services, runtime, caplog, capfd, make_head
) -> None:
    body = body_with_secret_words()
    ts, sig = _valid_sig(body)
    head = [b"Content-Type: application/json", b"Content-Length: %d" % len(body)]
    reply = raw_request(harness.port, head + make_head(body, ts, sig), body)
    assert status_of(reply) == 401
    nothing_ran(stub, services, runtime)
    assert_nothing_leaked(caplog, capfd)


def test_the_raw_helper_itself_gets_through(harness, stub) -> None:
    """Control: the same raw request with the valid headers is answered."""
    body = body_with_secret_words()
    ts, sig = _valid_sig(body)
    assert status_of(raw_request(harness.port, signed_head(body, ts, sig), body)) == 200
    assert len(stub.wait_for("chat.postMessage")) == 1


def test_non_utf8_bodies(harness, stub, services, runtime, caplog, capfd) -> None:
    """A forged non-UTF-8 body is a 401; a correctly signed one is a 400; never a traceback."""
    body = b'{"type": "event_callback", "x": "\xff\xfe"}'
    ts = now().encode()
    digest = hmac.new(SECRET.encode(), b"v0:" + ts + b":" + body, hashlib.sha256).hexdigest()
    sig = b"v0=" + digest.encode()  # slack_sdk's signer decodes the body as UTF-8 first
    forged = signed_head(body, ts, b"v0=" + b"0" * 64)
    assert status_of(raw_request(harness.port, forged, body)) == 401
    assert status_of(raw_request(harness.port, signed_head(body, ts, sig), body)) == 400
    nothing_ran(stub, services, runtime)
    assert_nothing_leaked(caplog, capfd)


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        ("¹²³", "v0=" + "0" * 64),
        (None, None),
        ("", ""),
        (" ", " "),
        ("1" * 13, "v0=" + "0" * 64),
        ("-5", "v0=" + "0" * 64),
        ("0x10", "v0=" + "0" * 64),
    ],
)
def test_check_rejects_without_raising(timestamp, signature) -> None:
    assert SignedRequests(SECRET).check(b"{}", timestamp, signature) is False


@pytest.mark.parametrize("digits", [SUPERSCRIPTS, ARABIC_INDIC, FULL_WIDTH])
def test_check_rejects_a_fresh_non_ascii_timestamp_with_a_matching_signature(digits) -> None:
    """Fresh in value and signed over its own bytes: still refused, not a crash."""
    ts = now().translate(digits)
    assert SignedRequests(SECRET).check(b"{}", ts, sign(b"{}", ts)) is False


def test_check_shape_is_exactly_slacks() -> None:
    """Surrounding whitespace is tolerated (the WSGI server strips it anyway); case is not."""
    ts = now()
    sig = sign(b"{}", ts)
    check = SignedRequests(SECRET).check
    assert check(b"{}", ts, sig)
    assert check(b"{}", f" {ts} ", f" {sig} ")
    assert not check(b"{}", ts, "v0=" + sig[3:].upper())
    assert not check(b"{}", ts, "V0=" + sig[3:])


def test_bolt_middleware_rejects_superscript_timestamps(caplog) -> None:
    """The same check guards bolt itself (``before_authorize``)."""
    body = body_with_secret_words().decode()
    req = BoltRequest(
        body=body,
        headers={"x-slack-request-timestamp": "¹²³", "x-slack-signature": "v0=" + "0" * 64},
    )
    passed = BoltResponse(status=200)
    resp = SignedRequests(SECRET).process(req=req, resp=passed, next=lambda: passed)
    assert resp.status == 401
    assert "Traceback" not in caplog.text


# -- per-connection socket timeout -----------------------------------------------------------


def test_default_connection_timeout_is_bounded(built) -> None:
    server = make_http_server(built[0], "127.0.0.1", 0)
    try:
        handler = server.RequestHandlerClass
        assert isinstance(handler, type) and issubclass(handler, QuietHandler)
        assert handler.timeout == http_endpoint.CONNECTION_TIMEOUT_S
        assert 0 < http_endpoint.CONNECTION_TIMEOUT_S <= 60
    finally:
        server.server_close()


@pytest.fixture
def quick_harness(built, stub, monkeypatch):
    """The real server with a 1 s per-connection timeout."""
    monkeypatch.setattr(
        harness_module, "make_http_server", functools.partial(make_http_server, timeout_s=1.0)
    )
    h = Harness(built[0], response_url=stub.response_url())
    yield h
    h.close()


STALLS = {
    "half-request-line": b"POST /slack/ev",
    "half-headers": b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le",
    "half-body": (
        b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 500\r\n\r\n{"type": "event_'
    ),
}


@pytest.mark.parametrize("partial", STALLS.values(), ids=STALLS.keys())
def test_a_stalled_client_is_disconnected_while_others_are_served(
    quick_harness, stub, capfd, caplog, partial
) -> None:
    timeout_s, margin_s = 1.0, 3.0
    with socket.create_connection(("127.0.0.1", quick_harness.port), timeout=10) as stalled:
        stalled.sendall(partial)
        started = time.monotonic()
        closed = threading.Event()

        def wait_for_close() -> None:
            read_to_eof(stalled)
            closed.set()

        reader = threading.Thread(target=wait_for_close, daemon=True)
        reader.start()
        status, _, elapsed = quick_harness.post(
            json.dumps({"type": "url_verification", "challenge": "c"}).encode()
        )
        assert status == 200 and elapsed < timeout_s
        assert not closed.is_set() or time.monotonic() - started >= timeout_s * 0.9
        assert closed.wait(timeout_s + margin_s), "the server kept a stalled connection open"
        assert time.monotonic() - started >= timeout_s * 0.9
    assert_nothing_leaked(caplog, capfd)


def wait_until_idle(server: object, timeout: float = 5.0) -> None:
    """Wait for ``server``'s request threads to finish, so whatever they print has been printed."""

    def busy() -> bool:
        targets = (getattr(t, "_target", None) for t in threading.enumerate())
        return any(
            getattr(target, "__self__", None) is server
            and getattr(target, "__name__", "") == "process_request_thread"
            for target in targets
        )

    deadline = time.monotonic() + timeout
    while busy():
        assert time.monotonic() < deadline, "a request thread is still running"
        time.sleep(0.01)


def test_a_client_that_resets_mid_request_is_quiet(quick_harness, capfd, caplog) -> None:
    sock = socket.create_connection(("127.0.0.1", quick_harness.port), timeout=10)
    sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # linger 0: a TCP reset, not a clean close
    challenge = json.dumps({"type": "url_verification", "challenge": "c"}).encode()
    assert quick_harness.post(challenge)[0] == 200
    wait_until_idle(quick_harness.server)
    assert_nothing_leaked(caplog, capfd)


def test_a_silent_client_is_disconnected_quietly(quick_harness, capfd, caplog) -> None:
    """A socket opened and never written to is closed after the timeout, without a traceback."""
    with socket.create_connection(("127.0.0.1", quick_harness.port), timeout=10) as idle:
        assert read_to_eof(idle) == b""  # nothing sent: the server gives up after ~1 s
    assert_nothing_leaked(caplog, capfd)
