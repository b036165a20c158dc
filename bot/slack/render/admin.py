"""Pure builders for help, sources, index status and ingest progress/report messages.

Why separate from answers: these are changebot's own words about itself (no model text), shown to
admins and to anyone asking what is indexed; document names still come from files, so they are
escaped like any other text we did not write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.slack.render.blocks import Rendered, context, message, section
from bot.slack.render.escape import escape_mrkdwn
from ingestion.report import IngestReport, Progress, Status
from knowledge.index import DocumentInfo

MAX_LISTED = 40
HELP = (
    "*changebot* helps you work out what is getting in the way of a change, using the Health "
    "Foundation's Constructive comfort framework.\n"
    "• Describe a situation (DM me, or mention me in a channel) to get a diagnosis.\n"
    "• Ask a question about the guidance to get an answer with sources.\n"
    "• `/diagnose your situation` gives a private diagnosis card; `/diagnose` alone opens a form.\n"
    "• `/changebot sources` lists the guidance I use.\n"
    "• Admins: `/changebot status`, `/changebot ingest` (after uploading files in our DM), "
    "`/changebot reingest` (the bundled notes), `/changebot remove DOC`, "
    "`/changebot insights` (anonymous barrier trends, sent to our DM).\n"
    "Never include patient names, NHS numbers or other identifiers."
)
STATUS_WORDS: dict[Status, str] = {
    "added": "added",
    "updated": "replaced",
    "unchanged": "unchanged",
    "removed": "removed",
    "failed": "failed",
}


@dataclass(frozen=True)
class IndexStatus:
    """What an admin needs to know about the live index."""

    version: str | None
    documents: int
    chunks: int
    last_ingest: float | None
    last_error: str | None


def stamp(at: float | None) -> str:
    """A UTC timestamp, or "never"."""
    if not at:
        return "never"
    return datetime.fromtimestamp(at, tz=UTC).strftime("%d %b %Y %H:%M UTC")


def status_lines(status: IndexStatus) -> str:
    """Version, documents, chunks, last ingest and last error as mrkdwn lines."""
    return (
        f"Version: `{escape_mrkdwn(status.version or 'none')}`\n"
        f"Documents: {status.documents} · Chunks: {status.chunks}\n"
        f"Last ingest: {stamp(status.last_ingest)}\n"
        f"Last error: {escape_mrkdwn(status.last_error) if status.last_error else 'none'}"
    )


def help_message() -> Rendered:
    """What changebot does and the commands it understands."""
    return message("changebot help", [section(HELP)])


def status_message(status: IndexStatus) -> Rendered:
    """The index status for admins."""
    return message("Guidance index status", [section("*Guidance index*\n" + status_lines(status))])


def sources_message(documents: list[DocumentInfo]) -> Rendered:
    """What is indexed, one line per document (title, chunks, pages)."""
    if not documents:
        return message(
            "No guidance is indexed yet.",
            [section("No guidance is indexed yet. An admin can run `/changebot reingest`.")],
        )
    rows = [
        f"• *{escape_mrkdwn(d.title or d.document)}* ({d.chunks} chunks"
        + (f", pages {escape_mrkdwn(d.pages)}" if d.pages else "")
        + ")"
        for d in documents[:MAX_LISTED]
    ]
    more = len(documents) - MAX_LISTED
    blocks = [section(f"*Guidance I use ({len(documents)} documents)*\n" + "\n".join(rows))]
    if more > 0:
        blocks.append(context(f"…and {more} more. `changebot sources` lists them all."))
    return message(f"{len(documents)} documents indexed", blocks)


def progress_message(tick: Progress | None, label: str) -> Rendered:
    """The single message updated while an ingest runs."""
    if tick is None:
        text = f"{label}: starting…"
    else:
        text = (
            f"{label}: {tick.documents_done} of {tick.documents_total} documents, "
            f"{tick.chunks_done} chunks so far…"
        )
    return message(text, [section(f":hourglass_flowing_sand: {text}")])


def report_message(report: IngestReport, label: str) -> Rendered:
    """The per-document outcome: added / replaced / unchanged / failed with reasons."""
    counts = (
        ", ".join(
            f"{report.count(s)} {word}" for s, word in STATUS_WORDS.items() if report.count(s)
        )
        or "no documents"
    )
    icon = ":white_check_mark:" if report.ok else ":warning:"
    version = escape_mrkdwn(report.version or "unchanged")
    head = f"{icon} {label} finished: {counts}. Version `{version}`."
    rows = [
        f"• {escape_mrkdwn(d.document)}: *{STATUS_WORDS[d.status]}*"
        + (f" ({d.chunks} chunks)" if d.chunks and d.status != "failed" else "")
        + (f" — {escape_mrkdwn(d.reason)}" if d.reason else "")
        for d in report.documents[:MAX_LISTED]
    ]
    blocks = [section(head)]
    if rows:
        blocks.append(section("\n".join(rows)))
    if report.message:
        blocks.append(context(escape_mrkdwn(report.message)))
    return message(head, blocks)
