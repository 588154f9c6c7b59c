"""Take the README's screenshots: the agent's inbox on a laptop and the chat on a phone.

Runs `tandem demo` in a temporary folder on a free port, hands a customer off from a phone-sized
chat, then logs Ana in on a laptop-sized console and opens the conversation. Writes
docs/screenshots/inbox-laptop.png and docs/screenshots/chat-phone.png. Uses the Debian Chromium
(as the browser tests do); nothing is downloaded.

Usage: .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANA = ("ana@pebbleandpine.example", "ana-demo-2026")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300  # the demo sets up its data and models first
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tandem demo stopped with exit code {server.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("tandem demo did not answer within 5 minutes")


def _customer(page: Page, url: str, *messages: str) -> None:
    page.goto(f"{url}/chat")
    box = page.get_by_label("Your message")
    for text in messages:
        with page.expect_response(
            lambda r: r.url.endswith("/messages") and r.request.method == "POST"
        ):
            box.fill(text)
            box.press("Enter")
        page.wait_for_timeout(1000)  # the bot's reply arrives live, for the picture
    expect(page.locator("#chat-status")).to_contain_text("Waiting for a person")


def _ana(page: Page, url: str) -> None:
    page.goto(f"{url}/console/login")
    page.get_by_label("E-mail").fill(ANA[0])
    page.get_by_label("Password").fill(ANA[1])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Waiting for a person")).to_be_visible()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    tandem = Path(sys.executable).with_name("tandem")
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(  # noqa: S603 - our own executable, fixed arguments
            [str(tandem), "demo", "--port", str(port)],
            cwd=folder,
            env={**os.environ, "TANDEM_SWEEP_INTERVAL_SECONDS": "2"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(url, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                phone = browser.new_context(
                    viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
                ).new_page()
                _customer(
                    phone,
                    url,
                    "Hi, how long do refunds take?",
                    "I sent the oak side table back 3 weeks ago and still nothing, I'm fed up",
                    "can I talk to a person please",
                )
                laptop = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                _ana(laptop, url)
                laptop.locator("table.queue tbody tr").first.get_by_role("link").first.click()
                expect(laptop.locator("#transcript")).to_contain_text("oak side table")
                laptop.wait_for_timeout(1500)  # suggestions and brief load after the page
                laptop.screenshot(path=str(OUT / "inbox-laptop.png"))
                phone.wait_for_timeout(500)
                phone.screenshot(path=str(OUT / "chat-phone.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"wrote {OUT / 'inbox-laptop.png'} and {OUT / 'chat-phone.png'}")


if __name__ == "__main__":
    main()
