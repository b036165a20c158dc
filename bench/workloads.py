"""Workloads and process helpers shared by the benchmarks.

The development sets in ``../shared/eval`` (beside the project) are read for their *texts only*,
as a latency workload: no label is looked at and nothing is tuned on them. When they are absent,
texts come from ``knowledge/training/situations/01-first.yaml`` and a fixed list of questions
written here.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BENCH_CACHE = ROOT / ".changebot" / "bench"  # .changebot/ is gitignored
EVAL_DIR = Path(os.environ.get("CHANGEBOT_BENCH_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SITUATIONS_DEV = EVAL_DIR / "situations-dev.jsonl"
QUESTIONS_DEV = EVAL_DIR / "questions-dev.jsonl"
FIRST_QUESTION = "what are the four barriers?"

# Written for the benchmark: everyday questions about the guidance (used to top up to 30).
BENCH_QUESTIONS = [
    "what are the seven success factors?",
    "how can I free up headspace for my team?",
    "what did the evidence scan say about the use of data?",
    "how do we find headspace for change",
    "what does committed leadership look like",
    "data and analytics to show impact",
    "capability to solve problems on the ward",
    "why does culture matter for change",
    "resources and support for improvement",
    "what is the difference between prod and proactive support?",
    "how can national bodies help providers change?",
    "what does the report say about management practice?",
    "how do I get the board to recognise a problem?",
    "what motivates staff to take part in improvement?",
    "how can commissioners support change?",
    "what is an enabling environment?",
    "how do I build improvement capability in a small team?",
    "what are people-focused approaches?",
    "why do improvement projects stall after six months?",
    "how should we use benchmarking data?",
    "what helps sustain a change once it is working?",
    "how do I protect time for a weekly improvement huddle?",
    "what does constructive comfort mean?",
    "who wrote the evidence scan on barriers to improvement?",
    "what are the signs of a headspace barrier?",
    "how can I tell whether recognition is the problem?",
    "what support exists for analysts doing improvement work?",
    "how do I start a QI project with no coach?",
    "what do transformational change programmes in providers have in common?",
    "how can we keep staff engaged during winter pressures?",
]


def _jsonl_field(path: Path, name: str) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            value = json.loads(line).get(name)
            if isinstance(value, str) and value.strip():
                texts.append(value)
    return texts


@lru_cache(maxsize=1)
def dev_situations() -> tuple[tuple[str, ...], str]:
    """Situation texts for latency runs and where they came from."""
    if SITUATIONS_DEV.is_file():
        return tuple(_jsonl_field(SITUATIONS_DEV, "text")), "situations-dev.jsonl (texts only)"
    first = ROOT / "knowledge" / "training" / "situations" / "01-first.yaml"
    data = yaml.safe_load(first.read_text("utf-8"))
    texts = [str(item["text"]) for item in data if isinstance(item, dict) and item.get("text")]
    return tuple(texts[:48]), f"{first.relative_to(ROOT)} (first 48; dev set missing)"


@lru_cache(maxsize=1)
def dev_questions() -> tuple[tuple[str, ...], str]:
    """Question texts for latency runs and where they came from."""
    if QUESTIONS_DEV.is_file():
        return tuple(_jsonl_field(QUESTIONS_DEV, "question")), "questions-dev.jsonl (texts only)"
    return tuple(BENCH_QUESTIONS[:19]), "bench questions (dev set missing)"


def thirty_questions() -> list[str]:
    """The dev questions topped up to 30 with the benchmark's own."""
    questions = list(dev_questions()[0])
    questions += [q for q in BENCH_QUESTIONS if q not in questions]
    return questions[:30]


_VERBS = ["free up", "protect", "build", "measure", "improve", "explain", "sustain", "fund"]
_TOPICS = [
    "headspace",
    "time for improvement",
    "QI capability",
    "staff motivation",
    "benchmarking data",
    "board recognition",
    "leadership support",
    "a learning culture",
    "analyst support",
    "the discharge pathway",
]
_PLACES = ["on my ward", "in our PCN", "across the trust", "in the ICB", "for the team", ""]
_OPENERS = ["how can I", "how do we", "what helps us", "is there a way to", "tips to"]


def short_queries(n: int = 500, seed: int = 11) -> list[str]:
    """``n`` distinct short questions (5-14 words), deterministic."""
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        parts = [rng.choice(_OPENERS), rng.choice(_VERBS), rng.choice(_TOPICS)]
        parts.append(rng.choice(_PLACES))
        text = " ".join(p for p in parts if p) + rng.choice(["?", "", " quickly?", " this year?"])
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


_SENTENCES = [
    "Teams that work on {t} agree a shared view of the problem before choosing a fix.",
    "Leaders review progress on {t} every month with front-line staff and analysts.",
    "Evidence from trusts suggests that {t} improves when time is protected for it.",
    "A practical next step on {t} is a short weekly huddle with a clear owner.",
    "Where {t} was weak, staff described initiatives that faded after six months.",
    "Commissioners can support {t} by funding analyst time rather than new targets.",
    "Board papers rarely show variation in {t}, so the need to change goes unseen.",
    "Ward sisters said {t} depends on rotas that leave room for reflection.",
    "National bodies mix prodding, proactive support and people-focused approaches on {t}.",
    "Peer networks help spread what works on {t} between similar organisations.",
]


def chunk_texts(n: int = 500, tokens: int = 200, seed: int = 13) -> tuple[list[str], float]:
    """``n`` guidance-like chunks of about ``tokens`` MiniLM tokens, and their mean length."""
    from knowledge.embeddings import TokenCounter

    count = TokenCounter()
    rng = random.Random(seed)
    out, lengths = [], []
    for i in range(n):
        topic = rng.choice(_TOPICS)
        text = f"Section {i}: {topic}."
        while count(text) < tokens - 8:
            text += " " + rng.choice(_SENTENCES).format(t=topic)
        out.append(text)
        lengths.append(count(text))
    return out, sum(lengths) / len(lengths)


# -- settings and processes ---------------------------------------------------------------------
_FOREIGN_ENV = ("CHANGEBOT_", "OPENAI_", "AZURE_OPENAI_", "SLACK_")


def offline_settings(data_dir: Path) -> Settings:
    """Settings for an offline run on ``data_dir``: no LLM and no ``.env``, whatever the shell."""
    return Settings(
        data_dir=data_dir,
        openai_api_key=None,
        openai_base_url=None,
        azure_openai_endpoint=None,
        chroma_url=None,
        embeddings="local",
        _env_file=None,
    )


def offline_env(data_dir: Path) -> dict[str, str]:
    """The environment for a ``changebot`` child: this shell's, minus any model or Slack config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN_ENV)}
    env["CHANGEBOT_DATA_DIR"] = str(data_dir)
    env["CHANGEBOT_LOG_LEVEL"] = "WARNING"
    return env


def changebot_command() -> list[str]:
    """The installed ``changebot`` entry point of this interpreter's environment."""
    script = Path(sys.executable).with_name("changebot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


@dataclass
class ProcessRun:
    """One child process: wall time, time to its first line of output, peak RSS."""

    seconds: float
    first_output_s: float | None
    peak_rss_mb: float
    children_peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def hwm_mb(pid: int) -> float | None:
    """The process's resident-set high-water mark (VmHWM) in MB, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{current}/task/{tid}/children", encoding="ascii") as kids:
                    children = [int(k) for k in kids.read().split()]
            except (OSError, ValueError):
                continue
            found += children
            todo += children
    return found


class _PeakWatcher(threading.Thread):
    """Polls VmHWM of a process and its descendants until told to stop.

    ``ru_maxrss`` from ``wait4``/``getrusage`` cannot be used here: Linux carries the *parent's*
    RSS into an exec'd child's ``ru_maxrss`` (the fork-time copy of its memory counts), and this
    benchmark process is itself large after loading two models. VmHWM belongs to the exec'd image.
    """

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peaks: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid in [self.pid, *descendants(self.pid)]:
                hwm = hwm_mb(pid)
                if hwm is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), hwm)
            self.done.wait(self.interval)

    def own(self) -> float:
        return self.peaks.get(self.pid, 0.0)

    def children(self) -> float:
        return max((v for k, v in self.peaks.items() if k != self.pid), default=0.0)


def run_process(
    args: list[str],
    data_dir: Path,
    stdin_text: str | None = None,
    timeout: float = 900.0,
) -> ProcessRun:
    """Run a child with the offline environment; time it and watch its peak RSS.

    VmHWM is polled every 20 ms while the child lives (a zombie has no memory left to report), so
    growth in its last few milliseconds could be missed; peaks come during the work, not at exit.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            args,
            cwd=data_dir,  # no stray .env is picked up
            env=offline_env(data_dir),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
        )
        watcher = _PeakWatcher(proc.pid)
        watcher.start()
        first: list[float] = []
        lines: list[bytes] = []

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if not first and line.strip():
                    first.append(time.perf_counter() - started)
                lines.append(line)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert proc.stdin is not None
        if stdin_text:
            proc.stdin.write(stdin_text.encode())
        proc.stdin.close()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        seconds = time.perf_counter() - started
        watcher.done.set()
        watcher.join(5)
        reader.join(10)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    return ProcessRun(
        seconds=seconds,
        first_output_s=first[0] if first else None,
        peak_rss_mb=watcher.own(),
        children_peak_rss_mb=watcher.children(),
        returncode=proc.returncode,
        stdout=b"".join(lines).decode(errors="replace"),
        stderr=stderr,
    )


@lru_cache(maxsize=1)
def prepared_data_dir() -> Path:
    """A data dir with the bundled guidance indexed and the diagnosis models fitted and cached.

    Kept under ``.changebot/bench/prepared`` and refreshed by running ``changebot start`` once
    (quick when nothing changed). Benchmarks use copies of it, never the folder itself.
    """
    path = BENCH_CACHE / "prepared"
    run = run_process(changebot_command() + ["start"], path, stdin_text=FIRST_QUESTION + "\n")
    if run.returncode != 0 or not run.stdout.strip():
        raise RuntimeError(f"could not prepare {path}: {run.stderr.strip()[-500:]}")
    print(f"prepared data dir checked/refreshed in {run.seconds:.1f} s ({path})")
    return path


def copy_prepared(dest: Path, index: bool = True) -> Path:
    """A private copy of the prepared data dir (only its model cache when ``index`` is False)."""
    source = prepared_data_dir()
    if index:
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("*.lock", "audit.jsonl"))
    else:
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source / "cache", dest / "cache")
    return dest


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages."""
    return os.getloadavg()
