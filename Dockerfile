# Tandem's container image: the server (`tandem serve`) and its CLI, as a non-root user.
# Build: docker build -t tandem .   Run: see deploy/compose.yaml and docs/operations.md.

# --- build: install Tandem and its pinned dependencies into a virtual environment
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/tandem
COPY constraints.txt pyproject.toml README.md ./
COPY src ./src
RUN /opt/tandem/bin/pip install --constraint constraints.txt .

# --- run: the virtual environment only, no compiler, no sources
FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 tandem \
    && useradd --system --uid 10001 --gid tandem --home-dir /var/lib/tandem --create-home tandem
COPY --from=build /opt/tandem /opt/tandem
ENV PATH=/opt/tandem/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TANDEM_HOST=0.0.0.0 \
    TANDEM_PORT=8000 \
    TANDEM_LOG_FORMAT=json \
    TANDEM_MODEL_DIR=/var/lib/tandem/models
USER 10001:10001
WORKDIR /var/lib/tandem
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["tandem", "serve"]
