"""Prometheus metrics, all named ``tandem_*``, served at ``/metrics``."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "tandem_http_requests",
    "HTTP requests served, by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
REQUEST_SECONDS = Histogram(
    "tandem_http_request_duration_seconds",
    "Time to serve an HTTP request (streams excluded), by route template.",
    ["route"],
    registry=REGISTRY,
)
TURNS = Counter(
    "tandem_bot_turns", "Customer turns the bot handled, by reply.", ["reply"], registry=REGISTRY
)
HANDOFFS = Counter(
    "tandem_handoffs", "Conversations handed to a person, by primary reason.", ["reason"],
    registry=REGISTRY,
)  # fmt: skip
QUEUE_DEPTH = Gauge(
    "tandem_queue_depth", "Conversations waiting for a person (read at scrape).", registry=REGISTRY
)
STREAMS = Gauge(
    "tandem_stream_connections", "Live event streams open in this process.", registry=REGISTRY
)

KNOWLEDGE_BUILD_SECONDS = Histogram(
    "tandem_knowledge_index_build_seconds",
    "Time to build the knowledge index after a change (words re-indexed, vectors read).",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900),
    registry=REGISTRY,
)
KNOWLEDGE_PASSAGES = Gauge(
    "tandem_knowledge_index_passages",
    "Passages in this process's newest knowledge index.",
    registry=REGISTRY,
)
KNOWLEDGE_ENCODED = Counter(
    "tandem_knowledge_texts_encoded",
    "Passages and titles encoded (about 0.1 s of CPU each), by when: on import or in a rebuild "
    "(a rebuild should find them stored).",
    ["during"],
    registry=REGISTRY,
)

ENCODER_CPU_SECONDS = Counter(
    "tandem_encoder_cpu_seconds",
    "CPU time spent encoding texts not found in the encoder's cache, by encoder and kind "
    "(query or passage): with tandem_bot_turns, the encoders' share of a turn's CPU.",
    ["encoder", "kind"],
    registry=REGISTRY,
)
ENCODER_TEXTS = Counter(
    "tandem_encoder_texts",
    "Texts encoded (not found in the encoder's cache), by encoder and kind.",
    ["encoder", "kind"],
    registry=REGISTRY,
)


def render() -> bytes:
    """Return every metric in the Prometheus text format."""
    return generate_latest(REGISTRY)


JOBS_WAITING = Gauge(
    "tandem_jobs_waiting",
    "Background jobs due and not started, by queue (read at scrape).",
    ["queue"],
    registry=REGISTRY,
)
JOBS_RUNNING = Gauge(
    "tandem_jobs_running", "Background jobs running now (read at scrape).", registry=REGISTRY
)
JOBS_FAILED = Gauge(
    "tandem_jobs_failed",
    "Background jobs that failed for good and are kept for a week (read at scrape).",
    registry=REGISTRY,
)
JOB_LAG = Gauge(
    "tandem_job_lag_seconds",
    "How long the oldest due background job has waited to start (read at scrape).",
    registry=REGISTRY,
)
