"""Fetch files an admin uploaded in a DM: ``files.info`` then ``url_private_download``.

Why so careful: the download carries the bot token, and the URL comes from a Slack payload. So a
file is fetched only if the admin uploaded it (``files.info`` says so), its type is one the
ingester reads, its declared size is under the cap, and its URL is on a Slack file host or the
configured API origin (``bot.slack.flows.file_hosts``). Redirects are followed only to allowed
URLs, and the read stops at the cap whatever the headers said. Files land under a fresh folder
with their original base name made safe (no paths), so the ingest report names them as the
admin knows them.
"""

from __future__ import annotations

import logging
import re
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from typing import IO, Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.slack.flows.file_hosts import is_file_url

logger = logging.getLogger(__name__)
SUPPORTED = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt")
CHUNK = 1 << 16


@dataclass
class Downloaded:
    """Saved files, and a plain reason for each file that was not fetched."""

    paths: list[Path] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


class FileRefused(Exception):
    """A file was not fetched; ``reason`` is safe to show an admin."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def safe_name(name: str) -> str:
    """The base name only, limited to harmless characters and 120 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .") or "upload"
    stem, dot, ext = cleaned.rpartition(".")
    return (stem[: 120 - len(ext) - 1] + dot + ext) if dot and stem else cleaned[:120]


def unique_target(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2)``, ``(3)``… if an earlier upload took it."""
    target = folder / name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while target.exists():
        target = folder / (f"{stem} ({n}){dot}{ext}")
        n += 1
    return target


class _CheckedRedirect(urllib.request.HTTPRedirectHandler):
    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def redirect_request(
        self, req: Any, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if not is_file_url(newurl, self.api_url):
            raise FileRefused("the download redirected away from Slack; not fetched")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def download(url: str, token: str, api_url: str, target: Path, max_bytes: int) -> None:
    """Stream ``url`` to ``target`` with the bot token, stopping at ``max_bytes``."""
    if not is_file_url(url, api_url):
        raise FileRefused("its download link is not a Slack file address; not fetched")
    opener = urllib.request.build_opener(_CheckedRedirect(api_url))
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    written = 0
    try:
        with opener.open(request, timeout=30) as response, target.open("wb") as out:
            while block := response.read(CHUNK):
                written += len(block)
                if written > max_bytes:
                    raise FileRefused(f"it is larger than {max_bytes // (1024 * 1024)} MB")
                out.write(block)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def check_info(info: dict[str, Any], owner: str, max_bytes: int) -> str:
    """The safe file name, or FileRefused with the reason."""
    name = safe_name(str(info.get("name") or info.get("title") or "upload"))
    if info.get("user") != owner:
        raise FileRefused("it was not uploaded by you")
    if not name.lower().endswith(SUPPORTED):
        raise FileRefused("changebot reads PDF, Word (.docx), HTML, Markdown and text files only")
    if int(info.get("size") or 0) > max_bytes:
        raise FileRefused(f"it is larger than {max_bytes // (1024 * 1024)} MB")
    return name


def fetch_files(
    client: WebClient,
    file_ids: list[str],
    owner: str,
    dest: Path,
    *,
    token: str,
    api_url: str,
    max_bytes: int,
) -> Downloaded:
    """Download each file an admin shared; never raises for one bad file."""
    dest.mkdir(parents=True, exist_ok=True)
    result = Downloaded()
    for file_id in file_ids:
        label = file_id
        try:
            info = client.files_info(file=file_id)["file"]
            label = str(info.get("name") or file_id)
            name = check_info(info, owner, max_bytes)
            target = unique_target(dest, name)
            download(str(info.get("url_private_download") or ""), token, api_url, target, max_bytes)
            result.paths.append(target)
        except FileRefused as refused:
            logger.warning("upload %s not fetched: %s", file_id, refused.reason)
            result.problems.append((safe_name(label), refused.reason))
        except (
            OSError,
            URLError,
            HTTPException,
            SlackClientError,
            KeyError,
            TypeError,
            ValueError,
        ) as exc:
            logger.warning("upload %s failed: %s", file_id, type(exc).__name__)
            result.problems.append((safe_name(label), "it could not be downloaded from Slack"))
    return result
