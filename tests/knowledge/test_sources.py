"""HTML pages, question/answer CSVs and website crawls become articles, and re-sync."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.knowledge import service as knowledge_service
from tandem.knowledge.crawler import CrawlLimits, crawl_site
from tandem.knowledge.formats import csv_to_articles, html_to_article
from tandem.knowledge.importer import KnowledgeImportError, read_folder
from tests.factories import write_article

PAGE = """<!doctype html><html><head><title>Returns | Shop</title></head><body>
<nav><a href="/">Home</a> <a href="/returns.html">Returns</a></nav>
<main><h1>How do returns work?</h1>
<p>You can return items within <b>30 days</b>.</p>
<h2>Exceptions</h2><ul><li>Gift cards</li><li>Opened cosmetics</li></ul>
{links}</main>
<footer>Copyright Shop</footer><script>var tracking = 1;</script></body></html>"""


def page(title: str, text: str, links: str = "") -> str:
    return (
        PAGE.replace("How do returns work?", title)
        .replace("You can return items within <b>30 days</b>.", text)
        .replace("{links}", links)
    )


def test_html_keeps_the_title_and_main_text_only() -> None:
    article = html_to_article(page("How do returns work?", "Within 30 days."), slug="r", source="x")
    assert article.title == "How do returns work?"
    assert article.body == "Within 30 days.\n\n## Exceptions\n\n- Gift cards\n- Opened cosmetics"
    assert "Copyright" not in article.body
    assert "tracking" not in article.body


def test_html_without_text_is_refused() -> None:
    with pytest.raises(ValueError, match="no text"):
        html_to_article(
            "<html><head><title>T</title></head><body></body></html>", slug="t", source="x"
        )


def test_each_csv_row_is_an_article() -> None:
    articles = csv_to_articles(
        "Question,Answer\nDo you ship to Norway?,Yes within 5 days.\n,\nCan I pay by card?,Yes.\n",
        source="faq.csv",
    )
    assert [(a.slug, a.title, a.body) for a in articles] == [
        ("do-you-ship-to-norway", "Do you ship to Norway?", "Yes within 5 days."),
        ("can-i-pay-by-card", "Can I pay by card?", "Yes."),
    ]
    assert articles[0].source_path == "faq.csv#do-you-ship-to-norway"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("title,text\na,b\n", "'question' and an 'answer'", id="no-columns"),
        pytest.param("question,answer\nOnly a question,\n", "row 2", id="missing-answer"),
        pytest.param("question,answer\nQ?,A\nQ?,B\n", "twice", id="duplicate"),
    ],
)
def test_bad_csv_rows_are_named(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        csv_to_articles(text, source="faq.csv")


def test_a_folder_mixes_markdown_html_and_csv(tmp_path: Path) -> None:
    (tmp_path / "returns.html").write_text(page("Returns", "Within 30 days."), encoding="utf-8")
    (tmp_path / "faq.csv").write_text("question,answer\nDo you ship?,Yes.\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert sorted(a.slug for a in read_folder(tmp_path)) == ["do-you-ship", "returns"]
    (tmp_path / "broken.csv").write_text("nothing useful", encoding="utf-8")
    with pytest.raises(KnowledgeImportError, match=r"broken\.csv"):
        read_folder(tmp_path)


async def test_folder_resync_creates_updates_and_deletes(
    session: AsyncSession, tmp_path: Path
) -> None:
    (tmp_path / "a.html").write_text(page("Page A", "Alpha."), encoding="utf-8")
    (tmp_path / "b.html").write_text(page("Page B", "Beta."), encoding="utf-8")
    first = await knowledge_service.import_folder(session, tmp_path)
    assert sorted(first.created) == ["a", "b"]

    (tmp_path / "a.html").write_text(page("Page A", "Alpha, revised."), encoding="utf-8")
    (tmp_path / "b.html").unlink()
    (tmp_path / "c.html").write_text(page("Page C", "Gamma."), encoding="utf-8")
    again = await knowledge_service.import_folder(session, tmp_path)
    assert (again.created, again.updated, again.deleted) == (["c"], ["a"], ["b"])
    slugs = [a.slug for a in await knowledge_service.list_articles(session)]
    assert "b" not in slugs
    assert {"a", "c"} <= set(slugs)


class _Site:
    """A small website served from a folder on 127.0.0.1, with robots.txt and a sitemap."""

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def write(self, name: str, text: str) -> None:
        (self.root / name).write_text(text, encoding="utf-8")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[_Site]:
    served = _Site(tmp_path)
    served.write("robots.txt", "User-agent: *\nDisallow: /private/\n")
    (tmp_path / "private").mkdir()
    served.write("private/secret.html", page("Secret", "Do not index."))
    served.write(
        "index.html",
        page(
            "Help centre",
            "Welcome.",
            '<a href="/returns.html">Returns</a> <a href="/private/secret.html">Secret</a> '
            '<a href="https://example.com/elsewhere.html">Elsewhere</a>',
        ),
    )
    served.write("returns.html", page("Returns", "Within 30 days.", '<a href="/deep.html">x</a>'))
    served.write("deep.html", page("Deep", "Two clicks away."))
    served.write("orphan.html", page("Orphan", "Only in the sitemap."))
    served.write(
        "sitemap.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{served.url}/index.html</loc></url>"
        f"<url><loc>{served.url}/orphan.html</loc></url></urlset>",
    )
    served.thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()


def test_crawl_stays_on_site_respects_robots_and_depth(site: _Site) -> None:
    seen: list[str] = []
    result = crawl_site(
        f"{site.url}/index.html",
        limits=CrawlLimits(max_pages=10, max_depth=1, delay_seconds=0),
        progress=lambda n, url: seen.append(url),
    )
    assert sorted(a.title for a in result.articles) == ["Help centre", "Returns"]
    assert all("secret" not in url and "example.com" not in url for url in seen)
    assert any("robots.txt" in s for s in result.skipped)
    assert result.complete


def test_crawl_from_a_sitemap_and_the_page_limit(site: _Site) -> None:
    result = crawl_site(
        f"{site.url}/sitemap.xml", limits=CrawlLimits(max_pages=20, max_depth=0, delay_seconds=0)
    )
    assert sorted(a.title for a in result.articles) == ["Help centre", "Orphan"]
    fetched: list[str] = []
    limited = crawl_site(
        f"{site.url}/index.html",
        limits=CrawlLimits(max_pages=2, max_depth=5, delay_seconds=0),
        progress=lambda n, url: fetched.append(url),
    )
    assert len(fetched) == 2
    assert not limited.complete  # so a re-sync will not delete the pages it did not reach


async def test_crawl_resync_detects_new_changed_and_deleted_pages(
    session: AsyncSession, site: _Site
) -> None:
    start = f"{site.url}/index.html"

    async def sync() -> knowledge_service.ImportReport:
        result = crawl_site(start, limits=CrawlLimits(max_pages=20, max_depth=3, delay_seconds=0))
        return await knowledge_service.publish(
            session, result.articles, source_prefix=result.site if result.complete else None
        )

    first = await sync()
    assert sorted(first.created) == ["deep", "index", "returns"]
    site.write("returns.html", page("Returns", "Within 60 days now.", '<a href="/new.html">n</a>'))
    site.write("new.html", page("New", "A new page."))
    second = await sync()
    assert (second.created, second.updated, second.deleted) == (["new"], ["returns"], ["deep"])
    assert sorted(second.unchanged) == ["index"]


async def test_a_crawl_never_overwrites_an_article_from_files(
    session: AsyncSession, site: _Site, tmp_path: Path
) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    write_article(folder, "returns", title="Returns policy", body="Curated: 30 days.")
    await knowledge_service.import_folder(session, folder)
    result = crawl_site(
        f"{site.url}/index.html", limits=CrawlLimits(max_pages=20, max_depth=3, delay_seconds=0)
    )
    with pytest.raises(KnowledgeImportError, match="'returns' already belongs to"):
        await knowledge_service.publish(session, result.articles, source_prefix=result.site)
    article = await knowledge_service.get_article(session, "returns")
    assert article.body == "Curated: 30 days."


class _FlakyHandler(_QuietHandler):
    """Answers 503 (Retry-After: 3) to the first two requests for /busy.html."""

    busy_left = 2

    def do_GET(self) -> None:
        if self.path == "/busy.html" and _FlakyHandler.busy_left > 0:
            _FlakyHandler.busy_left -= 1
            self.send_response(503)
            self.send_header("Retry-After", "3")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/down.html":
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture
def slow_site(tmp_path: Path) -> Iterator[_Site]:
    """A site that asks for two seconds between requests and is sometimes busy."""
    _FlakyHandler.busy_left = 2
    served = _Site(tmp_path)
    served.server.RequestHandlerClass = partial(_FlakyHandler, directory=str(tmp_path))  # type: ignore[assignment]
    served.write("robots.txt", "User-agent: *\nCrawl-delay: 2\n")
    served.write(
        "index.html",
        page("Help", "Start.", '<a href="/busy.html">b</a> <a href="/down.html">d</a>'),
    )
    served.write("busy.html", page("Busy", "Busy at first."))
    served.thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()


def test_a_crawl_keeps_the_sites_crawl_delay_and_retries_a_busy_page(slow_site: _Site) -> None:
    pauses: list[float] = []
    result = crawl_site(
        f"{slow_site.url}/index.html",
        limits=CrawlLimits(max_pages=10, max_depth=1, delay_seconds=0.5, retries=2),
        sleep=pauses.append,  # the pauses the crawler asks for, without waiting for them
    )
    assert sorted(a.title for a in result.articles) == ["Busy", "Help"]
    assert pauses.count(3.0) == 2  # the busy page's Retry-After, twice
    # Between requests robots.txt's 2 s, never our 0.5 s; a page that fails with no Retry-After
    # waits 1 s, then 2 s, before its next tries.
    assert len([p for p in pauses if 1.9 <= p <= 2.0]) >= 4
    assert min(pauses) >= 1.0
    assert any("down.html: HTTP 503" in s for s in result.skipped)
    assert not result.complete  # a page that may exist was not read: re-sync must keep it
