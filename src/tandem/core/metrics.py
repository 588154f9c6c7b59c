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


def render() -> bytes:
    """Return every metric in the Prometheus text format."""
    return generate_latest(REGISTRY)
