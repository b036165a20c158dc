#!/usr/bin/env bash
# The dev sets through the LLM path beside the offline figures (make eval-llm; issue 16).
#
# Why: `changebot eval` measures the offline method; this measures the same sets through the
# OpenAI-compatible path with the small local model `make test-llm` uses (Gemma 3 270M, Q4_K_M,
# behind llama-cpp-python's server), so the README can show both columns and we can see whether
# the LLM result ever scores below the offline one.
#
# usage: scripts/eval_llm.sh [SITUATIONS] [QUESTIONS_DEV] [QUESTIONS_EXTRA] [JOURNEYS] [LOCALDOCS]
#   defaults: /work/shared/eval/situations-dev.jsonl, /work/shared/eval/questions-dev.jsonl,
#             evals/questions-extra.jsonl, /work/shared/eval/journeys-dev.jsonl,
#             /work/shared/eval/localdocs
#
# What it does, each set twice (offline: no OPENAI_* variables; llm: the local server,
# structured method json_mode), all on fresh data dirs under the output directory:
#   1. situations and questions on a data dir holding only the bundled guidance;
#   2. journeys on a copy of that data dir after `changebot ingest LOCALDOCS`, through
#      `changebot respond --json --batch` scored by score_journeys.py (beside JOURNEYS), which
#      gives route, fact recall, document cited and leaks and keeps every reply on disk;
#   3. prints a side-by-side table (measure, offline, llm, delta; "BELOW" where the LLM result
#      is worse) with the number of items the model actually shaped and each set's wall time.
# The server is the one scripts/test_llm.sh uses, started by scripts/llm_server.sh.
#
# Environment: EVAL_LLM_EVERY=k (default 1: every item; k > 1 keeps items 1, 1+k, 1+2k ... of
# each set, in both modes, and says so), EVAL_LLM_OUT (output dir; default a new temp dir; reuse it to fill in a column),
# EVAL_LLM_MODES (default "offline llm"), EVAL_SET_TIMEOUT_S (wall limit per set and mode, 0 =
# none; a journeys set cut short still scores the replies it wrote), CHANGEBOT_LLM_TIMEOUT_S
# (per model call, default 120), CHANGEBOT_LLM_TIME_BUDGET_S (default 150),
# CHANGEBOT_LLM_MAX_ATTEMPTS (default 2), CHANGEBOT_LLM_MAX_TOKENS (default 200), and the
# server's variables as in scripts/llm_server.sh.
# A set whose run outlived the model server is reported as an error, not as LLM figures.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SITUATIONS="$(realpath "${1:-/work/shared/eval/situations-dev.jsonl}")"
QUESTIONS_DEV="$(realpath "${2:-/work/shared/eval/questions-dev.jsonl}")"
QUESTIONS_EXTRA="$(realpath "${3:-$ROOT/evals/questions-extra.jsonl}")"
JOURNEYS="$(realpath "${4:-/work/shared/eval/journeys-dev.jsonl}")"
LOCALDOCS="$(realpath "${5:-/work/shared/eval/localdocs}")"
SCORER="${JOURNEYS_SCORER:-$(dirname "$JOURNEYS")/score_journeys.py}"
OUT="${EVAL_LLM_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/changebot-eval-llm.XXXXXX")}"
MODES="${EVAL_LLM_MODES:-offline llm}"
SET_TIMEOUT_S="${EVAL_SET_TIMEOUT_S:-0}"
PROJECT_PY="$ROOT/.venv/bin/python"
CHANGEBOT="$ROOT/.venv/bin/changebot"
# shellcheck source=scripts/llm_server.sh
. "$ROOT/scripts/llm_server.sh"
LLM_TIMEOUT_S=120 LLM_TIME_BUDGET_S=150 LLM_MAX_ATTEMPTS=2

for f in "$SITUATIONS" "$QUESTIONS_DEV" "$QUESTIONS_EXTRA" "$JOURNEYS" "$SCORER"; do
  [ -f "$f" ] || { echo "eval-llm: missing $f" >&2; exit 2; }
done
[ -d "$LOCALDOCS" ] || { echo "eval-llm: missing $LOCALDOCS" >&2; exit 2; }
if [ ! -x "$CHANGEBOT" ]; then
  echo "eval-llm: project venv missing; run 'make setup' first" >&2
  exit 2
fi
mkdir -p "$OUT"
EVERY="${EVAL_LLM_EVERY:-1}"
if [ "$EVERY" != 1 ]; then  # an explicit, stated sample for slow machines: the same in both modes
  mkdir -p "$OUT/inputs"
  for v in SITUATIONS QUESTIONS_DEV QUESTIONS_EXTRA JOURNEYS; do
    sample="$OUT/inputs/$(basename "${!v}")"
    awk -v k="$EVERY" 'NF && (++n - 1) % k == 0' "${!v}" >"$sample"
    printf -v "$v" '%s' "$sample"
  done
  echo "eval-llm: EVAL_LLM_EVERY=$EVERY: items 1, 1+$EVERY, 1+2*$EVERY ... of each set, both modes"
  wc -l "$OUT"/inputs/*.jsonl
fi
BASE_DATA="$OUT/data-bundled"
LOCAL_DATA="$OUT/data-localdocs"
echo "eval-llm: results in $OUT (modes: $MODES)"

# Every changebot variable that could switch the LLM path on, in either spelling.
LLM_VARS=(OPENAI_API_KEY OPENAI_BASE_URL AZURE_OPENAI_ENDPOINT AZURE_OPENAI_API_KEY)
UNSET=()
for v in "${LLM_VARS[@]}"; do UNSET+=(-u "$v" -u "CHANGEBOT_$v"); done
LIMIT=()
exec 3>&1  # progress lines, while each command's stdout goes to its result file

# cb MODE DATA_DIR ARGS...: changebot in MODE, from the output dir (so no .env is read).
cb() {
  local mode="$1" data="$2" extra=()
  shift 2
  [ "$mode" = llm ] && extra=("${LLM_ENV[@]}")
  (cd "$OUT" && "${LIMIT[@]}" env "${UNSET[@]}" "${extra[@]}" CHANGEBOT_DATA_DIR="$data" \
    "$CHANGEBOT" "$@")
}

# timed NAME MODE DATA_DIR ARGS...: cb with the optional wall limit; seconds and exit status kept.
timed() {
  local name="$1" start rc=0
  shift
  echo "eval-llm: $name ..." >&3
  start=$(date +%s)
  [ "$SET_TIMEOUT_S" != 0 ] && LIMIT=(timeout "$SET_TIMEOUT_S")
  cb "$@" || rc=$?
  LIMIT=()
  echo "$(($(date +%s) - start))" >"$OUT/$name.seconds"
  echo "$rc" >"$OUT/$name.rc"
  echo "eval-llm: $name took $(cat "$OUT/$name.seconds") s (exit $rc)" >&3
}

run_mode() {
  local mode="$1"
  mkdir -p "$BASE_DATA"
  timed "$mode-situations" "$mode" "$BASE_DATA" eval situations "$SITUATIONS" --json \
    >"$OUT/$mode-situations.json" 2>"$OUT/$mode-situations.log"
  if [ "$mode" = llm ]; then server_alive "$mode-situations"; fi
  timed "$mode-questions-dev" "$mode" "$BASE_DATA" eval questions "$QUESTIONS_DEV" --json \
    >"$OUT/$mode-questions-dev.json" 2>"$OUT/$mode-questions-dev.log"
  if [ "$mode" = llm ]; then server_alive "$mode-questions-dev"; fi
  timed "$mode-questions-extra" "$mode" "$BASE_DATA" eval questions "$QUESTIONS_EXTRA" --json \
    >"$OUT/$mode-questions-extra.json" 2>"$OUT/$mode-questions-extra.log"
  if [ "$mode" = llm ]; then server_alive "$mode-questions-extra"; fi
  if [ ! -d "$LOCAL_DATA" ]; then  # the bundled index plus the trust's documents, built once
    cp -a "$BASE_DATA" "$LOCAL_DATA"
    cb offline "$LOCAL_DATA" ingest "$LOCALDOCS" >"$OUT/ingest.log" 2>&1
  fi
  timed "$mode-journeys" "$mode" "$LOCAL_DATA" respond --json --batch "$JOURNEYS" \
    >"$OUT/$mode-journeys.jsonl" 2>"$OUT/$mode-journeys.log"
  if [ "$mode" = llm ]; then server_alive "$mode-journeys"; fi
  "$PROJECT_PY" "$SCORER" "$JOURNEYS" "$OUT/$mode-journeys.jsonl" >"$OUT/$mode-journeys.score" \
    || true
}

# server_alive NAME: after an LLM set, the server must still be up or the set fell back offline.
server_alive() {
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "eval-llm: the model server died during $1 (see $OUT/llama-server.log)" >&2
    echo 99 >"$OUT/$1.rc"
    exit 1
  fi
}

for mode in $MODES; do
  case "$mode" in
    offline) run_mode offline ;;
    llm)
      trap llm_server_stop EXIT
      llm_server_start eval-llm "$OUT/llama-server.log"
      run_mode llm
      llm_server_stop
      ;;
    *) echo "eval-llm: unknown mode $mode" >&2; exit 2 ;;
  esac
done

"$PROJECT_PY" - "$OUT" <<'EOF'
"""The side-by-side table from the files in the output directory."""
import json
import re
import sys
from pathlib import Path

out = Path(sys.argv[1])


def load(mode, name):
    path = out / f"{mode}-{name}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def journeys(mode):
    score = out / f"{mode}-journeys.score"
    replies = out / f"{mode}-journeys.jsonl"
    if not score.exists():
        return None
    m = re.search(r"route=([\d.]+) fact_recall=([\d.]+) doc_cited=([\d.]+) leaks=(\d+) n=(\d+) "
                  r"missing=(\d+)", score.read_text())
    if not m:
        return None
    rows = [json.loads(x) for x in replies.read_text().splitlines() if x.startswith("{")]
    llm = sum(((r.get("answer") or {}).get("mode") == "llm")
              or ((r.get("diagnosis") or {}).get("mode") == "llm") for r in rows)
    n, missing = int(m[5]), int(m[6])
    return {"route": float(m[1]), "fact": float(m[2]), "doc": float(m[3]), "leaks": int(m[4]),
            "llm_mode_items": f"{llm}/{n - missing}", "items": n, "answered": n - missing}


def seconds(mode, name):
    path = out / f"{mode}-{name}.seconds"
    if not path.exists():
        return None
    rc = (out / f"{mode}-{name}.rc").read_text().strip()
    return path.read_text().strip() + ("" if rc == "0" else f" (exit {rc})")


SETS = [
    ("situations", [("barrier macro-F1", "barrier_macro_f1", 1), ("primary accuracy",
     "primary_accuracy", 1), ("factor micro-F1", "factor_micro_f1", 1), ("approach micro-F1",
     "approach_micro_f1", 1), ("scope accuracy", "scope_accuracy", 1)]),
    ("questions-dev", [("fact recall", "fact_recall", 1), ("cited share", "cited_share", 1),
     ("not_covered declined", "not_covered_declined", 1), ("longest answer words",
     "longest_answer_words", 0)]),
    ("questions-extra", [("fact recall", "fact_recall", 1), ("cited share", "cited_share", 1),
     ("not_covered declined", "not_covered_declined", 1), ("longest answer words",
     "longest_answer_words", 0)]),
]
lines = ["| set | measure | offline | llm | llm - offline |", "|---|---|---|---|---|"]
below = []


def row(name, label, off, llm, better):
    delta = ""
    if isinstance(off, (int, float)) and isinstance(llm, (int, float)):
        d = round(llm - off, 3)
        delta = f"{d:+.3f}" if isinstance(d, float) else f"{d:+d}"
        worse = (d < 0 and better == 1) or (d > 0 and better == -1)
        if worse:
            delta += " BELOW"
            below.append(f"{name}: {label}")
    show = lambda v: "-" if v is None else str(v)
    lines.append(f"| {name} | {label} | {show(off)} | {show(llm)} | {delta} |")


for name, measures in SETS:
    off, llm = load("offline", name), load("llm", name)
    for label, key, better in measures:
        row(name, label, off and off.get(key), llm and llm.get(key), better)
    items = lambda r: None if r is None else f"{r.get('llm_mode_items', 0)}/{r['items']}"
    row(name, "items shaped by the model", items(off), items(llm), 0)
    row(name, "wall seconds", seconds("offline", name), seconds("llm", name), 0)
off, llm = journeys("offline"), journeys("llm")
for label, key, better in [("route accuracy", "route", 1), ("local fact recall", "fact", 1),
                           ("local doc cited", "doc", 1), ("leaks", "leaks", -1),
                           ("items shaped by the model", "llm_mode_items", 0),
                           ("replies written", "answered", 0)]:
    row("journeys", label, off and off.get(key), llm and llm.get(key), better)
row("journeys", "wall seconds", seconds("offline", "journeys"), seconds("llm", "journeys"), 0)
print("\n".join(lines))
print()
print("LLM below offline on: " + (", ".join(below) if below else "nothing"))
EOF
