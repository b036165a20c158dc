"""The command-line surface: a thin layer over the same core the Slack bot uses."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import AliasChoices, BaseModel, ValidationError

from bot.cli.render import answer_text, diagnosis_text, reply_text
from bot.common.errors import ChangebotError
from bot.common.logs import configure_logging
from bot.services import Services, build_services
from bot.settings import Settings

app = typer.Typer(
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    help="changebot: the Constructive comfort framework when change is stuck.",
)
logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def get_services() -> Services:
    """Services built once per CLI process."""
    return build_services(Settings())


def answering_services() -> Services:
    """Services with a usable index.

    The first question on a fresh machine indexes the guidance folder (the bundled notes by
    default) instead of failing with "the index is empty". So does the first question after an
    admin ingested their own documents into a fresh data dir before anything was started: without
    this, `ingest` then `ask` answered from the trust's documents alone and declined every
    question about the framework.
    """
    from ingestion.discover import is_stale

    services = get_services()
    if is_stale(services.index, services.settings.guidance_dir):
        from bot.startup import ensure_index

        typer.echo("Indexing the bundled guidance notes...", err=True)
        ensure_index(services)
    return services


def _fail(exc: ChangebotError) -> typer.Exit:
    typer.echo(exc.user_message, err=True)
    return typer.Exit(1)


def _batch(path: Path) -> list[dict[str, str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        message = f"Cannot read {path.name}: expected one JSON object per line."
        raise ChangebotError(message) from exc


def _respond(
    call: Callable[[str], BaseModel],
    text: str,
    batch: Path | None,
    fields: tuple[str, ...],
    show: Callable[[Any], str],
    as_json: bool,
) -> None:
    """One input, or one JSON line per batch item (with its id); errors become plain words."""
    try:
        if batch is not None:
            for item in _batch(batch):
                given = next((str(item[f]) for f in fields if item.get(f)), "")
                fields_out = call(given).model_dump(exclude={"id"})
                typer.echo(json.dumps({"id": item.get("id"), **fields_out}))
            return
        result = call(text)
    except ChangebotError as exc:
        raise _fail(exc) from exc
    typer.echo(result.model_dump_json(indent=2) if as_json else show(result))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question about the guidance.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    batch: Annotated[Path | None, typer.Option(help="JSONL file of {id, question}.")] = None,
) -> None:
    """Answer a question about the guidance, with citations."""
    _respond(
        lambda q: answering_services().responder.respond(q, mode="answer").as_answer(),
        question,
        batch,
        ("question", "text"),
        answer_text,
        as_json,
    )


@app.command()
def diagnose(
    text: Annotated[str, typer.Argument(help="Describe where your change is stuck.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the Diagnosis as JSON.")] = False,
    batch: Annotated[Path | None, typer.Option(help="JSONL file of {id, text}.")] = None,
) -> None:
    """Map a situation onto barriers, weak factors and approach types, with actions."""
    _respond(
        lambda t: get_services().diagnoser.diagnose(t),
        text,
        batch,
        ("text",),
        lambda d: diagnosis_text(d, get_services().framework),
        as_json,
    )


class RespondOutput(BaseModel):
    """One line of ``changebot respond --json``: the reply's kind, its parts and its chat text."""

    id: Any = None
    kind: str
    answer: dict[str, Any] | None
    diagnosis: dict[str, Any] | None
    text: str


def _respond_output(text: str) -> RespondOutput:
    services = answering_services()
    reply = services.responder.respond(text)
    return RespondOutput(
        kind=reply.kind,
        answer=reply.answer.model_dump() if reply.answer else None,
        diagnosis=reply.diagnosis.model_dump() if reply.diagnosis else None,
        text=reply_text(reply, services.framework),
    )


@app.command()
def respond(
    text: Annotated[str, typer.Argument(help="A message, as you would write it in Slack.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the reply as JSON.")] = False,
    batch: Annotated[Path | None, typer.Option(help="JSONL file of {id, text}.")] = None,
) -> None:
    """Reply to one message exactly as the chat and Slack do (answer, diagnosis or notice)."""
    _respond(
        _respond_output,
        text,
        batch,
        ("text", "question"),
        lambda out: out.text,
        as_json,
    )


@app.command()
def chat() -> None:
    """Talk to changebot in the terminal (reads stdin line by line, so it can be piped)."""
    from bot.cli.chat import run_chat

    try:
        run_chat(answering_services(), sys.stdin, interactive=sys.stdin.isatty())
    except ChangebotError as exc:
        raise _fail(exc) from exc


@app.command()
def start() -> None:
    """What `make run` runs: index the bundled guidance if needed, then Slack or terminal chat."""
    from bot.startup import ensure_index, warm_in_background

    settings = Settings()
    if settings.slack_configured:  # the Slack front: the core starts in worker processes
        from bot.cli.serve import serve_command

        try:
            serve_command(settings, http=settings.slack_app_token is None, port=3000)
        except ChangebotError as exc:
            raise _fail(exc) from exc
        return
    services = get_services()
    try:
        ensure_index(services)
    except ChangebotError as exc:
        raise _fail(exc) from exc
    warm_in_background(services)
    chat()


@app.command("backup")
def backup_command(
    target: Annotated[Path, typer.Argument(help="Archive to write, e.g. changebot-backup.tar.gz")],
) -> None:
    """Back up the data dir (index, shared state, audit, feedback) into one archive."""
    from bot.cli.backup import backup

    try:
        manifest = backup(Settings(), target)
    except ChangebotError as exc:
        raise _fail(exc) from exc
    typer.echo(f"Backed up to {target} (index: {manifest['index']}).")


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="An archive written by `changebot backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing data dir (it is kept aside).")
    ] = False,
) -> None:
    """Restore the data dir from a backup; the previous one is kept beside it."""
    from bot.cli.backup import restore

    try:
        kept = restore(Settings(), source, force=force)
    except ChangebotError as exc:
        raise _fail(exc) from exc
    typer.echo("Restored." + (f" The previous data dir is kept at {kept}." if kept else ""))


def _register_groups() -> None:
    """Attach the command groups that live in their own modules."""
    from bot.cli import evaluate as cli_eval
    from bot.cli import follow_through as cli_follow_through
    from bot.cli import ingest as cli_ingest
    from bot.cli import serve as cli_serve

    # looked up per call, so tests can swap them
    cli_eval.register(app, lambda: answering_services())
    for module in (cli_ingest, cli_serve):
        module.register(app, lambda: get_services())
    cli_follow_through.register(app)  # the shared store only: no models loaded


_register_groups()


def _command(argv: list[str]) -> str:
    """The command's name (the first word that is not an option; no global options exist)."""
    return next((word for word in argv if not word.startswith("-")), "")


def _logging_from_settings(command: str) -> None:
    """Timestamped logs in every command, text or JSON; one-shot commands stay quiet unless asked.

    ``CHANGEBOT_LOG_LEVEL`` applies everywhere when set. Without it, ``serve`` (and ``start``
    when it serves Slack) log at INFO from the first line on, start-up indexing included; the
    one-shot commands and the terminal chat log at WARNING, so piped output stays clean.
    ``CHANGEBOT_LOG_FORMAT=json`` applies to every command. Python warnings go through the same
    handler, so they carry a timestamp too.
    """
    logging.captureWarnings(True)
    try:
        settings = Settings()
    except Exception:  # noqa: BLE001 - bad settings are reported by the command itself
        configure_logging("WARNING")
        return
    explicit = "log_level" in settings.model_fields_set
    serving = command == "serve" or (command == "start" and settings.slack_configured)
    level = settings.log_level if explicit or serving else "WARNING"
    configure_logging(level, settings.log_format == "json")


def env_name(field: str) -> str:
    """The environment variable a ``Settings`` field is read from (its well-known name first)."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    if info is None:
        return field.upper()
    return f"{Settings.model_config.get('env_prefix', '')}{field}".upper()


def settings_problem(exc: ValidationError) -> str:
    """Invalid settings by variable name and rule, never their values (they may be secrets)."""
    problems = [
        f"{env_name(str(error['loc'][0]) if error['loc'] else '')}: {error['msg']}"
        for error in exc.errors(include_input=False, include_url=False)
    ]
    return (
        "changebot's settings are not valid (" + "; ".join(problems) + "). Fix them in the "
        "environment or .env and run again."
    )


def main() -> None:
    """Entry point of the ``changebot`` command."""
    _logging_from_settings(_command(sys.argv[1:]))
    try:
        app()
    except ChangebotError as exc:
        typer.echo(exc.user_message, err=True)
        raise SystemExit(1) from None
    except ValidationError as exc:
        if exc.title != Settings.__name__:
            raise _unexpected(exc) from None
        typer.echo(settings_problem(exc), err=True)
        raise SystemExit(1) from None
    except Exception as exc:  # noqa: BLE001 - the edge: never show a traceback to a user
        raise _unexpected(exc) from None


def _unexpected(exc: Exception) -> SystemExit:
    """Log the failure at DEBUG (shown with CHANGEBOT_LOG_LEVEL=DEBUG) and say so plainly."""
    logger.debug("unexpected error", exc_info=exc)
    typer.echo(
        f"changebot hit an unexpected problem ({type(exc).__name__}); nothing was "
        "changed. Run again with CHANGEBOT_LOG_LEVEL=DEBUG for details.",
        err=True,
    )
    return SystemExit(1)
