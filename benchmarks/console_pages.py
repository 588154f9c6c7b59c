"""How fast the console renders on the demo's history (targets: 300 ms a page; review 1 s).

Sets up a fresh SQLite database with the demo shop and its six weeks of history (as
`tandem demo` does), creates a few proposals the way agents do (a customer asks, a person
answers and resolves), then requests every console and admin page as a logged-in
supervisor or admin through the application (in process, no network) and prints the median
and p95 of each, after one warm-up request. Approving a proposal is timed once per proposal.
The report pages and the knowledge audit are timed twice: as served (a process reuses a
report's rows, and the audit's findings, while nothing changed, `TANDEM_REPORT_CACHE_SECONDS`)
and reading their rows for every request, which is what the first view after a change costs.
Each application runs its start-up (warm-up, and the freeze that keeps the loaded code and
models out of the garbage collector's full passes) as a server does.

Usage: .venv/bin/python benchmarks/console_pages.py [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time

import httpx
from demo_database import demo_database

from tandem.app import create_app
from tandem.config import Settings

SUPERVISOR = ("chloe@pebbleandpine.example", "chloe-demo-2026")
ADMIN = ("admin@pebbleandpine.example", "admin-demo-2026")
PAGE_TARGET_MS = 300.0
REPORT_PAGES = (
    "/admin/analytics",
    "/admin/analytics/conversations",
    "/admin/roi",
    "/admin/forecast",
    "/admin/knowledge",  # the knowledge audit's findings are kept the same way
)
REVIEW_TARGET_MS = 1000.0
# Questions the demo's articles do not answer: a person's answer to them becomes a proposal.
ASKED = (
    "do you sell garden sheds?",
    "do you rent out furniture for weddings?",
    "can you engrave a name on a chopping board?",
)


async def _log_in(client: httpx.AsyncClient, who: tuple[str, str]) -> str:
    response = await client.post("/api/v1/auth/login", json={"email": who[0], "password": who[1]})
    response.raise_for_status()
    return str(response.json()["csrf_token"])


async def _resolved_by_a_person(
    customer: httpx.AsyncClient, agent: httpx.AsyncClient, csrf: str, asked: str
) -> None:
    created = (await customer.post("/api/v1/conversations", json={})).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    for number, text in enumerate((asked, "I want to talk to a person"), start=1):
        await customer.post(
            f"/api/v1/conversations/{created['id']}/messages",
            json={"text": text, "client_msg_id": f"bench-{number}"},
            headers=headers,
        )
    staff = {"X-CSRF-Token": csrf}
    base = f"/api/v1/agent/conversations/{created['id']}"
    (await agent.post(f"{base}/claim", headers=staff)).raise_for_status()
    reply = {"text": f"Here is what to do about that: {asked}", "client_msg_id": "bench-reply"}
    (await agent.post(f"{base}/messages", json=reply, headers=staff)).raise_for_status()
    (await agent.post(f"{base}/resolve", headers=staff)).raise_for_status()


async def _time(client: httpx.AsyncClient, path: str, repeat: int) -> list[float]:
    (await client.get(path)).raise_for_status()  # warm-up: caches, the knowledge index
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def _line(name: str, times: list[float], target: float) -> str:
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
    median = statistics.median(times)
    verdict = "ok" if p95 <= target else "over"
    return f"{name:<44} {median:>9.1f} {p95:>9.1f} {target:>8.0f}  {verdict}"


async def run(repeat: int) -> None:
    async with demo_database(history=True) as db:
        settings = Settings(database_url=db.url, environment="test", sweep_interval_seconds=0)
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        base = "http://testserver"
        async with (
            app.router.lifespan_context(app),  # as served: warm-up, start-up objects frozen
            httpx.AsyncClient(transport=transport, base_url=base) as supervisor,
            httpx.AsyncClient(transport=transport, base_url=base) as admin,
            httpx.AsyncClient(transport=transport, base_url=base) as customer,
        ):
            csrf = await _log_in(supervisor, SUPERVISOR)
            await _log_in(admin, ADMIN)
            for asked in ASKED:
                await _resolved_by_a_person(customer, supervisor, csrf, asked)
            queue = (await supervisor.get("/console")).text
            conversation = re.search(r"/console/conversations/([\w-]+)", queue)
            pages = [
                "/console",
                "/console/search?q=refund",
                "/console/supervisor",
                "/console/policy",
                "/console/macros",
                "/console/account",
            ]
            if conversation:
                found = f"/console/conversations/{conversation.group(1)}"
                pages += [found, f"{found}/suggestions"]
            names = (
                {path: path.replace(conversation.group(1), "{id}") for path in pages}
                if conversation
                else {}
            )
            admin_pages = [
                *REPORT_PAGES,
                "/admin/users",
            ]
            print(f"Console pages on the demo history, {repeat} requests each after a warm-up")
            print(f"{'page':<44} {'median ms':>9} {'p95 ms':>9} {'target':>8}")
            for path in pages:
                name = names.get(path, path)
                print(_line(name, await _time(supervisor, path, repeat), PAGE_TARGET_MS))
            for path in admin_pages:
                print(_line(path, await _time(admin, path, repeat), PAGE_TARGET_MS))
            for path in ("/console/review", "/console/review/gaps"):
                print(_line(path, await _time(supervisor, path, repeat), REVIEW_TARGET_MS))
            review = (await supervisor.get("/console/review")).text
            approvals = []
            for proposal in re.findall(r"/console/review/(\d+)/approve", review)[: len(ASKED)]:
                title = f"Answer for proposal {proposal}"
                form = {"title": title, "body": "What to do.", "csrf_token": csrf}
                started = time.perf_counter()
                response = await supervisor.post(
                    f"/console/review/{proposal}/approve",
                    data=form,
                    headers={"X-CSRF-Token": csrf},
                )
                approvals.append((time.perf_counter() - started) * 1000)
                if response.status_code >= 400:
                    raise SystemExit(f"approving {proposal} failed: {response.status_code}")
            if approvals:
                print(_line("approve a proposal (POST)", approvals, REVIEW_TARGET_MS))
            else:
                print("approve a proposal: no proposal was created, not measured")
            cold = create_app(settings.model_copy(update={"report_cache_seconds": 0.0}))
            async with (
                cold.router.lifespan_context(cold),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=cold), base_url=base) as fresh,
            ):
                await _log_in(fresh, ADMIN)
                for path in REPORT_PAGES:
                    name = f"{path} (rows read every time)"
                    print(_line(name, await _time(fresh, path, repeat), PAGE_TARGET_MS))
            await cold.state.engine.dispose()
        await app.state.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    asyncio.run(run(parser.parse_args().repeat))


if __name__ == "__main__":
    main()
