"""Refuse logins posted from another site (login CSRF), by the browser's own headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from tandem.core.errors import PermissionDeniedError

_CROSS_SITE = "Logins are only accepted from Tandem's own login page; open it and try again."


def refuse_cross_site(request: Request) -> None:
    """Raise PermissionDeniedError when a browser says the request comes from another site.

    Browsers send ``Sec-Fetch-Site`` and ``Origin`` on every cross-site POST; clients that send
    neither (command-line tools, tests) are not browsers and cannot be forged into posting.
    """
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise PermissionDeniedError(_CROSS_SITE)
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", request.url.netloc)
    if origin == "null" or urlsplit(origin).netloc != host:
        raise PermissionDeniedError(_CROSS_SITE)
