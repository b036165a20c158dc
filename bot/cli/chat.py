"""The terminal conversation: the same behaviour as the Slack bot, one line at a time.

Questions are answered; situations are diagnosed; ``/diagnose TEXT``, ``/help`` and
``/sources`` work as in Slack. The conversation so far is the context for follow-ups.
"""

from __future__ import annotations

from typing import TextIO

from bot.cli.render import reply_text
from bot.common.privacy import screen
from bot.core.models import Turn
from bot.services import Services

HELP = """I help people leading change in the NHS, using the Health Foundation's Constructive
comfort framework (four barrier areas, seven success factors, three approach types).
  - Ask a question:      what are the four barriers to change?
  - Diagnose a problem:  /diagnose the team are keen but every workshop gets cancelled
  - See what I know:     /sources
Type a line and press Enter; end with Ctrl-D."""

HISTORY_TURNS = 6


def chat_reply(services: Services, line: str, history: list[Turn]) -> str:
    """One reply to one line of input (commands, questions or situations)."""
    text = line.strip()
    if text in {"/help", "help"}:
        return HELP
    if text == "/sources":
        docs = services.index.documents()
        return "\n".join(
            [f"{len(docs)} documents indexed:"]
            + [f"  - {d.title} ({d.chunks} chunks)" for d in docs]
        )
    if text.startswith("/diagnose"):
        situation = text[len("/diagnose") :].strip()
        reply = services.responder.respond(situation, history, mode="diagnose")
        return reply_text(reply, services.framework)
    return reply_text(services.responder.respond(text, history), services.framework)


def run_chat(services: Services, stream: TextIO, *, interactive: bool) -> None:
    """Read lines until EOF, printing one reply per non-empty line."""
    history: list[Turn] = []
    if interactive:
        print(HELP)  # noqa: T201 - this is the terminal surface
    while True:
        if interactive:
            print("\n> ", end="", flush=True)  # noqa: T201
        line = stream.readline()
        if not line:
            break
        if not line.strip():
            continue
        reply = chat_reply(services, line, history)
        print(reply, flush=True)  # noqa: T201
        if not screen(line).sensitive:  # patient data is not kept, even in memory
            history = [
                *history,
                Turn(role="user", text=line.strip()),
                Turn(role="assistant", text=reply),
            ][-HISTORY_TURNS:]
