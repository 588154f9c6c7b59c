"""A real OpenID Connect provider for the single sign-on tests (tests/oidc/provider.mjs).

``OidcProvider`` runs panva's oidc-provider under Node.js on a free port of 127.0.0.1 with one
client, ``tandem``, and its development login page: any login name is accepted and becomes the
account's e-mail (one starting with "unverified" is not verified). ``log_in`` walks that page
over HTTP, as a person would in a browser, and returns where the provider sends them back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Self
from urllib.parse import urljoin

import httpx

from tests.dovecot import free_port
from tests.server_process import Startable

FOLDER = Path(__file__).parent / "oidc"
CLIENT_ID = "tandem"
STARTUP_SECONDS = 20.0


class OidcProviderError(RuntimeError):
    pass


def available() -> str | None:
    """Why the provider cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed (the single sign-on tests run oidc-provider under it)"
    if not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        return "run `npm ci` in tests/oidc (scripts/test does) for the test OpenID provider"
    return None


class OidcProvider(Startable):
    def __init__(self, *, redirect_uri: str, client_secret: str) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.redirect_uri = redirect_uri
        self.client_secret = client_secret
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> Self:
        self._process = subprocess.Popen(
            ["node", "provider.mjs", str(self.port), self.redirect_uri, self.client_secret],
            cwd=FOLDER,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        assert self._process.stdout is not None
        while time.monotonic() < deadline:
            line = self._process.stdout.readline()
            if line.startswith("ready"):
                return self
            if not line and self._process.poll() is not None:
                break
        self.stop()
        raise OidcProviderError(f"the test OpenID provider did not start on port {self.port}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None

    def log_in(self, authorize_url: str, login: str) -> str:
        """Log in as ``login`` on the provider's pages and consent; return the redirect back."""
        with httpx.Client(timeout=10) as browser:
            url = authorize_url
            for _ in range(12):
                response = browser.get(url)
                if response.status_code in (302, 303):
                    url = urljoin(url, response.headers["location"])
                    if url.startswith(self.redirect_uri):
                        return url
                    continue
                form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
                if form is None:
                    raise OidcProviderError(f"no form on the provider's page: {response.text}")
                fields = dict(
                    re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', response.text)
                )
                if 'name="login"' in response.text:
                    fields |= {"login": login, "password": "any"}
                posted = browser.post(urljoin(url, form.group(1)), data=fields)
                if posted.status_code not in (302, 303):
                    raise OidcProviderError(f"the provider answered {posted.status_code}")
                url = urljoin(url, posted.headers["location"])
                if url.startswith(self.redirect_uri):
                    return url
        raise OidcProviderError("the provider never sent the browser back")
