"""Logging for every command: timestamps, one level setting, JSON one setting away.

Our loggers (``bot``, ``ingestion``, ``knowledge``, ``prompts``) follow ``CHANGEBOT_LOG_LEVEL``;
Slack's and HTTP libraries stay at WARNING (they can log request bodies). Log lines carry ids
and counts, never message text; that is a rule for every ``logger`` call, not something a
formatter could enforce. The JSON formatter adds what it can to keep that rule for exceptions:
their type and where they passed (file, line, function), never their message.

A child process changebot starts itself (the parser sandbox) gets the parent's choice as one
command-line word, ``handoff()``, and passes it to ``configure_from_handoff`` first thing, so its
lines (and the warnings its libraries log) look like the parent's.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from typing import Any

OURS = ("bot", "ingestion", "knowledge", "prompts")
NOISY = ("slack_sdk", "slack_bolt", "urllib3", "httpx", "openai", "chromadb")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_CHAIN = 8
_current = {"level": "WARNING", "format": "text"}


def exception_stack(exc: BaseException) -> list[str]:
    """Where an exception (and what caused it) passed, root cause first; never its message.

    One ``file:line in function`` entry per frame, then the exception's type, as a traceback
    reads but without the text an exception may carry (a parser error can quote the document).
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        if len(chain) >= MAX_CHAIN:
            break
        if current.__cause__ is not None or current.__suppress_context__:
            current = current.__cause__
        else:
            current = current.__context__
    lines: list[str] = []
    for item in reversed(chain):
        for frame in traceback.extract_tb(item.__traceback__):
            lines.append(f"{frame.filename}:{frame.lineno} in {frame.name}")
        lines.append(type(item).__name__)
    return lines


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message.

    With an exception: ``error`` (its type) and ``stack`` (``exception_stack``), so a run with
    ``CHANGEBOT_LOG_LEVEL=DEBUG`` says where a failure happened in JSON too.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON (an exception only as its type and frames, never its text)."""
        when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        payload: dict[str, Any] = {
            "time": f"{when}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            payload["error"] = type(record.exc_info[1]).__name__
            payload["stack"] = exception_stack(record.exc_info[1])
        return json.dumps(payload)


def configure_logging(level: str, json_lines: bool = False) -> None:
    """Set up the root handler once and our loggers' level (idempotent)."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for existing in root.handlers:
        existing.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    root.setLevel(logging.WARNING)
    for name in OURS:
        logging.getLogger(name).setLevel(level)
    logging.getLogger("bot.slack.bolt").setLevel(max(logging.INFO, logging.getLevelName(level)))
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    _current.update(level=level, format="json" if json_lines else "text")


def handoff() -> str:
    """This process's logging choice as one command-line word for a child, e.g. ``INFO:json``."""
    return f"{_current['level']}:{_current['format']}"


def configure_from_handoff(word: str) -> None:
    """In a child process changebot started: log as the parent does (``handoff()``).

    Anything else (an old parent, a child started by hand) gets WARNING text lines. Without this,
    Python's last-resort handler prints a child's warnings (pypdf's, for example) without a
    timestamp, and as plain text in the middle of a JSON log.
    """
    level, _, form = word.partition(":")
    configure_logging(level if level in LEVELS else "WARNING", form == "json")
