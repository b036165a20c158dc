"""Admin uploads in a DM: remember the files, ingest them when asked, report in one message.

Flow: an admin shares PDF/DOCX/HTML/MD files in their DM with changebot. With "ingest" in the
message they are ingested at once; otherwise changebot remembers them (one hour) and says how to
go on: reply "ingest", or run ``/changebot ingest`` in that DM. Anyone else is refused plainly and
the attempt is audited. Downloads and the ingest run in the background (``IngestRunner``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from bot.slack.flows.file_download import Downloaded, fetch_files
from bot.slack.flows.ingest import BUSY
from bot.slack.flows.permissions import REFUSAL, Actor, actor_from_body, authorise
from bot.slack.render.admin import report_message
from bot.slack.render.blocks import Rendered, notice_message
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import Core

_INGEST = re.compile(r"^\W*(please\s+)?(ingest|add them|add these)\b", re.IGNORECASE)
NOTHING_PENDING = (
    "Upload the PDF, Word, HTML or Markdown files here in our DM first, then ask me to ingest them."
)


def is_ingest_request(event: dict[str, Any]) -> bool:
    """A DM that asks to ingest already-uploaded files."""
    return bool(_INGEST.search(str(event.get("text") or "")))


def handle_upload_message(
    runtime: SlackRuntime, body: dict[str, Any], event: dict[str, Any]
) -> None:
    """Files shared (or "ingest" written) in a DM; admins only."""
    actor = actor_from_body(body)
    channel = str(event.get("channel") or "")
    if not runtime.dedupe.claim(f"upload:{channel}:{event.get('ts')}"):
        return
    if not authorise(runtime.settings, actor, runtime.identity.team_id, "slack.upload"):
        runtime.urgent.submit(
            lambda: runtime.poster.post(channel, notice_message(REFUSAL)), "refuse"
        )
        return
    file_ids = [
        str(f["id"]) for f in event.get("files") or [] if isinstance(f, dict) and f.get("id")
    ]
    if file_ids and not is_ingest_request(event):
        runtime.uploads.put(actor.label, [*(runtime.uploads.get(actor.label) or []), *file_ids])
        note = (
            f"Got {len(file_ids)} file(s). Reply *ingest* here, or run `/changebot ingest`, "
            "to add them to the guidance."
        )
        runtime.urgent.submit(
            lambda: runtime.poster.post(channel, notice_message(note)), "upload-ack"
        )
        return
    message = start_upload_ingest(runtime, actor, file_ids)
    if message:
        runtime.urgent.submit(
            lambda: runtime.poster.post(channel, notice_message(message)), "upload-reply"
        )


def start_upload_ingest(runtime: SlackRuntime, actor: Actor, file_ids: list[str]) -> str | None:
    """Start ingesting the given (or remembered) files; a plain reply when it cannot start."""
    ids = file_ids or runtime.uploads.get(actor.label) or []
    if not ids:
        return NOTHING_PENDING
    settings = runtime.settings
    dest = settings.data_dir / "uploads" / uuid.uuid4().hex
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""

    def prepare() -> Downloaded:
        return fetch_files(
            runtime.poster.client,
            ids,
            actor.user_id,
            dest,
            token=token,
            api_url=settings.slack_api_url,
            max_bytes=settings.ingest_max_file_mb * 1024 * 1024,
        )

    if not runtime.ingests.start(
        actor, f"Ingest of {len(ids)} uploaded file(s)", prepare, "add", dest
    ):
        return BUSY
    runtime.uploads.pop(actor.label)
    return None


def start_reingest(runtime: SlackRuntime, actor: Actor) -> str | None:
    """Rebuild the index from the configured guidance folder (``replace``)."""
    folder = runtime.core.settings.guidance_dir  # the index's own settings

    def prepare() -> Downloaded:
        return Downloaded(paths=[folder])

    label = "Re-ingest of the guidance folder"
    if not runtime.ingests.start(actor, label, prepare, "replace", owner="bundled"):
        return BUSY
    return None


def remove_documents(core: Core, actor: Actor, documents: list[str]) -> Rendered:
    """``/changebot remove DOC…``: take documents an admin ingested out of the index."""
    if not documents:
        return notice_message(
            "Name the documents to remove, as `/changebot sources` lists them: "
            "`/changebot remove discharge-policy.pdf`."
        )
    report = core.remove(documents, actor=f"slack:{actor.label}")
    return report_message(report, "Removal")
