"""``changebot plans`` and ``changebot insights`` on a real SQLite store: what they print, what
they never print, the chart file, and a plain error when matplotlib is missing."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import follow_through
from bot.cli import main as cli
from bot.state.insights import record_diagnosis
from bot.state.plans import DAY_S, Plan, PlanStore
from bot.state.store import SharedStore

WEEK_S = 7 * DAY_S
PRIVATE = ("the ward manager", "calmer handovers", "huddles counted", "went well overall")


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A data dir whose store holds three plans (due, open, done) and 12 weeks of diagnoses."""
    store = SharedStore(f"sqlite:///{(tmp_path / 'state.db').resolve()}")
    now = time.time()
    plans = PlanStore(store)

    def plan(what: str, created_at: float, **values: Any) -> Plan:
        return plans.save(
            Plan(
                team_id="T1",
                user_id="U024BE7LH",
                action_id="cap_one_small_test",
                barrier="capability",
                what=what,
                with_whom="the ward manager",
                prediction="calmer handovers",
                measure="huddles counted",
                created_at=created_at,
                **values,
            )
        )

    plan("Daily board huddle", now - 20 * DAY_S)  # due six days ago
    plan("Visible measures board", now - DAY_S)  # open
    done = plan("Protected QI hour", now - 30 * DAY_S, days=7)
    plans.record_outcome(done.id, "helped", "went well overall")
    plans.act(done.id, "adopt")
    for n in range(120):
        record_diagnosis(
            store,
            at=now - (n % 12) * WEEK_S,
            scope="in_scope",
            barriers=["headspace", "motivation"]
            if n // 12 in (0, 4, 8)
            else ["headspace", "capability"],
            factors=["culture"],
            approaches=["people_focused"],
        )
    store.close()
    yield tmp_path


@pytest.fixture
def runner(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(
        follow_through,
        "open_store",
        lambda: SharedStore(f"sqlite:///{(data_dir / 'state.db').resolve()}"),
    )
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(cli.app, list(args), catch_exceptions=False)


def test_plans_lists_due_open_and_done_with_no_other_words(runner: CliRunner) -> None:
    result = invoke(runner, "plans")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("3 test(s) of change: 1 due, 1 open, 1 done.")
    assert out.index("Due:") < out.index("Daily board huddle") < out.index("Open:")
    assert out.index("Open:") < out.index("Visible measures board") < out.index("Done:")
    assert out.index("Done:") < out.index("Protected QI hour")
    assert "done, helped, next: adopt" in out and "cap_one_small_test (capability)" in out
    for private in (*PRIVATE, "U024BE7LH", "T1 "):
        assert private not in out


def test_plans_json_gives_whole_plans(runner: CliRunner) -> None:
    result = invoke(runner, "plans", "--json")
    assert result.exit_code == 0
    plans = [Plan.model_validate(p) for p in json.loads(result.stdout)]
    assert [p.what for p in plans] == [
        "Visible measures board",
        "Daily board huddle",
        "Protected QI hour",
    ]
    assert plans[2].note == "went well overall" and plans[2].outcome == "helped"


def counts_at_least_5(cells: list[str]) -> bool:
    return all(cell == "<5" or int(cell) >= 5 for cell in cells)


def test_insights_as_json_csv_and_text_suppress_small_counts(runner: CliRunner) -> None:
    as_json = invoke(runner, "insights", "--json")
    assert as_json.exit_code == 0
    data = json.loads(as_json.stdout)
    assert len(data["weeks"]) == 12
    assert data["diagnoses"] == [10] * 12
    assert data["barrier_counts"]["headspace"] == [10] * 12
    assert data["barrier_counts"]["capability"] == [7] * 12
    assert data["barrier_counts"]["motivation"] == ["<5"] * 12
    assert data["top_pairs"] == [["capability", "headspace", 84], ["headspace", "motivation", 36]]

    as_csv = invoke(runner, "insights", "--csv")
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0][:2] == ["kind", "id"] and len(rows[0]) == 14
    assert ["barrier", "motivation", *["<5"] * 12] in rows
    assert all(counts_at_least_5(row[2:]) for row in rows[1:])

    text = invoke(runner, "insights")
    assert text.exit_code == 0
    assert "Motivation to change <5" in text.stdout
    assert "Headspace to make change happen 10" in text.stdout
    assert "Capability to execute change with Headspace to make change happen: 84" in text.stdout

    assert invoke(runner, "insights", "--json", "--csv").exit_code == 2


def test_insights_chart_is_written_beside_the_text(runner: CliRunner, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "out" / "insights.png"
    result = invoke(runner, "insights", "--chart", str(chart))
    assert result.exit_code == 0, result.stderr
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"Chart written to {chart}." in result.stderr
    assert "Week of" in result.stdout and "Motivation to change <5" in result.stdout


def test_without_matplotlib_the_chart_fails_plainly(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    result = invoke(runner, "insights", "--chart", str(tmp_path / "x.png"))
    assert result.exit_code == 1
    assert "needs matplotlib" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_the_real_entry_point_reads_the_data_dirs_store(data_dir: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CHANGEBOT_", "SLACK_", "OPENAI_"))
    }
    env["CHANGEBOT_DATA_DIR"] = str(data_dir)
    for args, expect in ((["plans"], "1 due, 1 open, 1 done"), (["insights", "--csv"], "<5")):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert expect in done.stdout
