"""The Docker deployment files, checked without Docker.

compose.yaml must run two changebot replicas that are really separate (replica ids, data
volumes) and really shared (one database URL the store's driver opens, one Chroma URL that
reaches the Chroma service); every changebot variable in compose.yaml, .env.example and the
Dockerfile must be one ``Settings`` reads; every changebot command in them must parse as the
CLI defines it. The Dockerfile's CMD is then run as written (port aside) and its HEALTHCHECK
must see it, and compose's Chroma command must start a server its health check accepts.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from pydantic import AliasChoices

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
CHANGEBOT = str(Path(sys.executable).with_name("changebot"))
CHROMA = str(Path(sys.executable).with_name("chroma"))
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?][^}]*)?\}")
TEST_PASSWORD = "s3cretpass"


# -- helpers ----------------------------------------------------------------------------------


def settings_env_names() -> dict[str, str]:
    """Every environment variable ``Settings`` reads, mapped to its field.

    A field with a validation alias is read under its aliases only; any other field under the
    env prefix plus its name (pydantic-settings matches case-insensitively).
    """
    prefix = str(Settings.model_config.get("env_prefix", ""))
    names: dict[str, str] = {}
    for field, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update({str(choice).upper(): field for choice in alias.choices})
        elif isinstance(alias, str):
            names[alias.upper()] = field
        else:
            names[f"{prefix}{field}".upper()] = field
    return names


def interpolate(text: str, values: dict[str, str]) -> str:
    """Compose's ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}``, for the checks."""

    def one(match: re.Match[str]) -> str:
        whole = match.group(0)
        name = match.group(1)
        if name in values:
            return values[name]
        if ":-" in whole:
            return whole.split(":-", 1)[1].rstrip("}")
        raise AssertionError(f"{name} has no value and no default")

    return INTERPOLATION.sub(one, text)


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def changebot_services() -> dict[str, dict[str, Any]]:
    """Services running a changebot command (not the Chroma server on the same image)."""
    return {
        name: spec
        for name, spec in services().items()
        if isinstance(spec.get("command"), list) and spec["command"][0] == "changebot"
    }


def replicas() -> dict[str, dict[str, Any]]:
    return {
        name: spec
        for name, spec in changebot_services().items()
        if spec["command"][1:2] == ["serve"] and "profiles" not in spec
    }


def named_volume(spec: dict[str, Any], target: str) -> str:
    """The named volume mounted at ``target`` in a service (short syntax)."""
    for entry in spec.get("volumes", []):
        source, _, rest = str(entry).partition(":")
        if rest.split(":")[0] == target:
            return source
    raise AssertionError(f"nothing is mounted at {target}")


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in logical]


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def cmd_argv() -> list[str]:
    (cmd,) = [args for keyword, args in final_stage() if keyword == "CMD"]
    argv: list[str] = json.loads(cmd)  # exec form: the process gets SIGTERM itself
    return argv


def healthcheck_argv() -> tuple[str, list[str]]:
    (check,) = [args for keyword, args in final_stage() if keyword == "HEALTHCHECK"]
    options, _, command = check.partition(" CMD ")
    argv: list[str] = json.loads(command)
    return options, argv


def parse_cli(argv: list[str]) -> Any:
    """Resolve ``changebot SUB [ARGS]`` as the real CLI would, without running it (its context)."""
    from bot.cli.main import app

    assert argv[0] == "changebot", argv
    command: Any = typer.main.get_command(app)
    name, words = "changebot", list(argv[1:])
    while hasattr(command, "commands"):  # a group: `changebot eval situations FILE`
        assert words and words[0] in command.commands, argv
        name, words = words[0], words[1:]
        command = command.commands[name]
    return command.make_context(name, words)  # raises on an unknown option or a bad value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_until_ok(argv: list[str], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(argv, capture_output=True, timeout=30, check=False).returncode == 0:
            return True
        time.sleep(0.5)
    return False


def stop(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


# -- compose.yaml -------------------------------------------------------------------------------


@pytest.mark.fast
def test_two_replicas_with_their_own_ids_and_data_share_one_database_and_chroma() -> None:
    found = replicas()
    assert len(found) >= 2, sorted(found)
    envs = {name: spec["environment"] for name, spec in found.items()}
    ids = [env["CHANGEBOT_REPLICA_ID"] for env in envs.values()]
    assert all(ids) and len(set(ids)) == len(ids)

    data_volumes = [
        named_volume(spec, envs[name]["CHANGEBOT_DATA_DIR"]) for name, spec in found.items()
    ]
    assert len(set(data_volumes)) == len(data_volumes)
    declared = set(compose()["volumes"])
    assert set(data_volumes) <= declared  # named volumes, not the container's own layer
    others = [spec for name, spec in services().items() if name not in found]
    for spec in others:  # no other service (Chroma, admin jobs) writes into a replica's data dir
        used = {entry.partition(":")[0] for entry in spec.get("volumes", [])}
        assert not used & set(data_volumes)

    for variable in ("CHANGEBOT_DATABASE_URL", "CHANGEBOT_CHROMA_URL"):
        values = {spec["environment"][variable] for spec in changebot_services().values()}
        assert len(values) == 1, (variable, values)  # admin jobs included: one shared state


@pytest.mark.fast
def test_the_database_url_opens_the_postgres_service_with_the_psycopg_driver() -> None:
    from sqlalchemy.engine import make_url

    from bot.state.store import make_engine

    (raw,) = {spec["environment"]["CHANGEBOT_DATABASE_URL"] for spec in replicas().values()}
    url = make_url(interpolate(raw, {"POSTGRES_PASSWORD": TEST_PASSWORD}))
    postgres = services()[str(url.host)]
    assert str(postgres["image"]).startswith("postgres:16")
    env = {
        k: interpolate(str(v), {"POSTGRES_PASSWORD": TEST_PASSWORD})
        for k, v in postgres["environment"].items()
    }
    assert (url.username, url.password, url.database) == (
        env["POSTGRES_USER"],
        env["POSTGRES_PASSWORD"],
        env["POSTGRES_DB"],
    )
    assert url.port in (None, 5432)
    engine = make_engine(url.render_as_string(hide_password=False))  # no connection yet
    try:
        assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()
    assert Settings(database_url=str(url)).state_url == str(url)


@pytest.mark.fast
def test_the_chroma_url_reaches_the_chroma_service_on_the_port_it_serves() -> None:
    from importlib.metadata import entry_points
    from urllib.parse import urlparse

    (raw,) = {spec["environment"]["CHANGEBOT_CHROMA_URL"] for spec in replicas().values()}
    url = urlparse(raw)
    chroma = services()[str(url.hostname)]
    command = chroma["command"]
    assert command[:2] == ["chroma", "run"]
    assert command[command.index("--port") + 1] == str(url.port)
    assert command[command.index("--host") + 1] == "0.0.0.0"  # reachable from the replicas
    path = command[command.index("--path") + 1]
    assert named_volume(chroma, path) in compose()["volumes"]
    # the same image as the replicas, so the chromadb server matches the client
    assert chroma["image"] == next(iter(replicas().values()))["image"]
    assert any(ep.dist and ep.dist.name == "chromadb" for ep in entry_points(name="chroma"))


@pytest.mark.fast
def test_replicas_start_after_healthy_backends_and_the_one_shot_index() -> None:
    every = services()
    assert every["postgres"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    for name, spec in replicas().items():
        depends = spec["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["chroma"]["condition"] == "service_healthy", name
        for dependency, how in depends.items():
            target = every[dependency]
            if how["condition"] == "service_healthy":
                assert not target["healthcheck"].get("disable"), dependency
            if how["condition"] == "service_completed_successfully":
                assert target.get("restart") == "no" and "profiles" not in target
                parse_cli(target["command"])  # a command that exits (here ingest --bundled)
        assert spec.get("restart") == "unless-stopped"


@pytest.mark.fast
def test_the_optional_ingest_job_mounts_a_folder_read_only_and_ingests_it() -> None:
    ingest = services()["ingest"]
    assert ingest["profiles"] == ["ingest"]  # not started by `docker compose up`
    context = parse_cli(ingest["command"])
    folder = context.params["paths"][0]
    entries = [interpolate(entry, {}) for entry in ingest["volumes"]]  # ${INGEST_DIR:-...}
    mounts = {entry.split(":")[1]: entry for entry in entries}
    assert mounts[str(folder)].endswith(":ro")


@pytest.mark.fast
def test_every_changebot_command_in_the_files_parses_as_the_cli_defines_it() -> None:
    commands = [spec["command"] for spec in changebot_services().values()] + [cmd_argv()]
    for path in (COMPOSE, ENV_EXAMPLE):  # and the admin commands the comments show
        for line in path.read_text(encoding="utf-8").splitlines():
            _, found, rest = line.partition("docker compose run --rm ingest ")
            if found and rest.startswith("changebot "):
                commands.append(shlex.split(rest))
    assert len(commands) >= 8
    for argv in commands:
        parse_cli(argv)


# -- variables ----------------------------------------------------------------------------------


@pytest.mark.fast
def test_every_changebot_variable_in_the_files_is_a_setting() -> None:
    known = settings_env_names()
    for path in (COMPOSE, ENV_EXAMPLE, DOCKERFILE):
        used = set(re.findall(r"(?<![A-Z0-9_])CHANGEBOT_[A-Z0-9_]+", path.read_text("utf-8")))
        unknown = sorted(used - set(known))
        assert not unknown, f"{path.name}: {unknown} are not fields of bot.settings.Settings"
    compose_env = {
        name for spec in changebot_services().values() for name in spec.get("environment", {})
    }
    assert compose_env <= set(known)


def env_example_assignments() -> list[tuple[str, str]]:
    """``NAME=value`` lines, commented examples (``# NAME=value``) included."""
    pattern = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=(\S*)$")
    return [
        (match.group(1), match.group(2))
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if (match := pattern.match(line))
    ]


@pytest.mark.fast
def test_env_example_values_are_read_by_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    known = settings_env_names()
    compose_text = COMPOSE.read_text(encoding="utf-8")
    interpolated = set(INTERPOLATION.findall(compose_text))
    assignments = env_example_assignments()
    assert len(assignments) >= 20
    for name, value in assignments:
        if name not in known:
            assert name in interpolated, f"{name} is neither a setting nor used by compose.yaml"
            continue
        with monkeypatch.context() as patch:
            patch.setenv(name, value)
            settings = Settings(_env_file=None)
        assert known[name] in settings.model_fields_set, name  # read, and valid
    # what compose.yaml sets per container is not left to .env (it would be overridden)
    per_container = {"CHANGEBOT_DATA_DIR", "CHANGEBOT_DATABASE_URL", "CHANGEBOT_CHROMA_URL"}
    assert not per_container & {name for name, _ in assignments}


@pytest.mark.fast
def test_every_variable_compose_needs_is_in_env_example() -> None:
    compose_text = COMPOSE.read_text(encoding="utf-8")
    active = {
        name
        for name, _ in env_example_assignments()
        if f"\n{name}=" in "\n" + ENV_EXAMPLE.read_text(encoding="utf-8")
    }
    for match in INTERPOLATION.finditer(compose_text):
        assert match.group(1) in active, match.group(0)
    # required secrets have no default, so compose refuses to start without them
    assert "${POSTGRES_PASSWORD:?" in compose_text and "POSTGRES_PASSWORD" in active
    for required in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        assert required in active


# -- Dockerfile and .dockerignore ---------------------------------------------------------------


@pytest.mark.fast
def test_the_image_is_slim_non_root_and_installs_the_package_from_the_context() -> None:
    import tomllib

    instructions = dockerfile_instructions()
    stage = final_stage()
    assert stage[0] == ("FROM", "python:3.11-slim")
    (user,) = [args for keyword, args in stage if keyword == "USER"]
    assert user.split(":")[0] not in {"root", "0"}
    env = " ".join(args for keyword, args in stage if keyword == "ENV")
    assert "CHANGEBOT_DATA_DIR=/data" in env
    assert any(keyword == "VOLUME" and "/data" in args for keyword, args in stage)
    runs = [args for keyword, args in instructions if keyword == "RUN"]
    assert any(re.search(r"pip install \"?\.(\[[a-z,]+\])?\"?$", args) for args in runs)
    assert any("postgres" in args for args in runs if "pip install" in args)  # psycopg

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    copied = {
        part.rstrip("/").removeprefix("./")
        for keyword, args in instructions
        if keyword == "COPY" and "--from" not in args
        for part in args.split()[:-1]
    }
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages | {"pyproject.toml", project["project"]["readme"]} <= copied


def dockerignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    """(exclude?, regex) per line, in order, approximating Docker's matcher."""
    patterns = []
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        body = line.lstrip("!").strip("/")
        regex = ""
        for token in re.split(r"(\*\*/|\*\*|\*|\?)", body):
            regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(
                token, re.escape(token)
            )
        patterns.append((not negate, re.compile(regex + "(?:/.*)?$")))  # a dir excludes its files
    return patterns


def ignored(path: str) -> bool:
    verdict = False
    for exclude, pattern in dockerignore_patterns():
        if pattern.match(path):
            verdict = exclude
    return verdict


@pytest.mark.fast
def test_dockerignore_keeps_secrets_and_state_out_and_the_package_in() -> None:
    for path in (
        ".env",
        ".venv/bin/python",
        ".git/HEAD",
        ".changebot/index/chroma.sqlite3",
        "bench/results/run.json",
        "bot/__pycache__/settings.cpython-311.pyc",
        ".mypy_cache/3.11/x.json",
        ".pytest_cache/v/cache/nodeids",
        ".ruff_cache/CACHEDIR.TAG",
    ):
        assert ignored(path), path
    assert not ignored(".env.example")
    copied = [ROOT / name for name in ("pyproject.toml", "README.md")]
    for package in ("bot", "knowledge", "prompts", "ingestion"):
        copied += [p for p in (ROOT / package).rglob("*") if p.is_file()]
    kept = [p.relative_to(ROOT).as_posix() for p in copied if "__pycache__" not in p.parts]
    assert any(path.startswith("knowledge/fitted/cache/") for path in kept)
    assert "knowledge/fitted/guidance-vectors.npz" in kept
    assert [path for path in kept if ignored(path)] == []


# -- run them -----------------------------------------------------------------------------------


def test_the_image_cmd_serves_and_its_healthcheck_sees_it(
    bundled_services: Any, tmp_path: Path
) -> None:
    from tests.servers.slack_api import SlackApiStub

    argv = cmd_argv()
    options, check = healthcheck_argv()
    assert parse_cli(argv).info_name == "serve"
    port = argv[argv.index("--port") + 1]
    assert f"http://127.0.0.1:{port}/healthz" in check[-1]
    exposed = [args for keyword, args in final_stage() if keyword == "EXPOSE"]
    assert exposed == [port]
    assert "--start-period=" in options and check[0] == "python"

    local = str(free_port())
    argv = [CHANGEBOT, *argv[1:-1], local]
    check = [sys.executable, *check[1:-1], check[-1].replace(f":{port}/", f":{local}/")]
    data = tmp_path / "data"
    shutil.copytree(bundled_services.settings.data_dir, data)
    assert subprocess.run(check, capture_output=True, timeout=30).returncode != 0  # nothing yet

    with SlackApiStub() as slack:
        env = {
            **os.environ,
            "CHANGEBOT_DATA_DIR": str(data),
            "CHANGEBOT_SLACK_API_URL": slack.api_url,
            "CHANGEBOT_WORKERS": "0",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": "test-secret",
        }
        log = (tmp_path / "serve.log").open("wb")
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            healthy = run_until_ok(check, timeout=180)
        finally:
            code = stop(proc)
            log.close()
    output = (tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")
    assert healthy, output[-3000:]
    assert code == 0, output[-3000:]


@pytest.mark.server
def test_the_compose_chroma_command_serves_and_passes_its_healthcheck(tmp_path: Path) -> None:
    chroma = services()["chroma"]
    command = list(chroma["command"])
    check = chroma["healthcheck"]["test"]
    assert check[0] == "CMD"
    served = command[command.index("--port") + 1]
    port = str(free_port())
    command[0] = CHROMA
    command[command.index("--path") + 1] = str(tmp_path / "chroma")
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = port
    check = [sys.executable, *check[2:-1], check[-1].replace(f":{served}/", f":{port}/")]
    assert check[1] == "-c" and port in check[-1]

    log = (tmp_path / "chroma.log").open("wb")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        assert run_until_ok(check, timeout=60)
        from knowledge.index import make_client

        client = make_client(None, f"http://127.0.0.1:{port}")
        assert client.heartbeat() > 0  # the replicas' client speaks to this server
    finally:
        stop(proc)
        log.close()
