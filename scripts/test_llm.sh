#!/usr/bin/env bash
# Opt-in end-to-end test of the LLM path against a real local model server (make test-llm).
#
# Why: the loopback fake in tests/llm proves our handling of every scripted failure; this proves
# that a real, weak model (Gemma 3 270M, Q4_K_M) behind a real OpenAI-compatible server
# (llama-cpp-python) either yields answers and diagnoses that pass our validation or falls back
# cleanly. It is slow and heavy, so it is kept out of `make test`.
#
# What it does:
#   1. starts the local model server (scripts/llm_server.sh: venv, llama.cpp build, model,
#      a free port on 127.0.0.1, a first completion that must succeed);
#   2. runs tests/llm_real (marker llm_real) with the project venv against it;
#   3. stops the server it started, whatever happened.
#
# Environment: as in scripts/llm_server.sh; extra pytest arguments as "$@".
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PROJECT_PY="$ROOT/.venv/bin/python"

if [ ! -x "$PROJECT_PY" ]; then
  echo "test-llm: project venv missing; run 'make setup' first" >&2
  exit 2
fi
# shellcheck source=scripts/llm_server.sh
. "$ROOT/scripts/llm_server.sh"
trap llm_server_stop EXIT
LLM_TIMEOUT_S=300 LLM_TIME_BUDGET_S=600 LLM_MAX_ATTEMPTS=3
llm_server_start test-llm "$LLM_VENV/llama-server.log"

env "${LLM_ENV[@]}" "$PROJECT_PY" -m pytest tests/llm_real -m llm_real -q -s -p no:cacheprovider "$@"
