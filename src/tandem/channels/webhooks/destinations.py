"""Where webhooks may go: in production, never to a private or loopback address.

A subscription is an admin's, but a URL that resolves inside the company's network would let
Tandem be used to reach services that are not meant to be reachable (SSRF). The address is
checked when subscribing and again before every delivery (names can be re-pointed).
TANDEM_WEBHOOK_ALLOW_PRIVATE turns the check off for receivers on the company's own network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


async def refusal(url: str) -> str | None:
    """Why ``url`` may not receive webhooks (it resolves to a non-public address), or None."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        return f"could not resolve {host}: {error}"
    for *_rest, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not address.is_global:
            return (
                f"{host} resolves to {address}, which is not a public address; webhooks go to "
                "public URLs only (set TANDEM_WEBHOOK_ALLOW_PRIVATE=true for your own network)"
            )
    return None
