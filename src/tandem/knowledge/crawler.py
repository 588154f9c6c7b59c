"""Crawl a website into articles: same site only, robots.txt respected, polite, bounded.

The crawl starts from a page (following links breadth first, up to ``max_depth`` clicks
away) or from a sitemap (every listed page is depth 0). It never leaves the start URL's
scheme and host, skips what robots.txt disallows for our user agent, and stops after
``max_pages`` pages. A crawl that stopped at the page limit is marked incomplete, so re-sync
does not take unvisited pages for deleted ones.

Politeness: one request at a time, at least ``delay_seconds`` apart (or the site's
robots.txt ``Crawl-delay`` when longer, up to a minute); a page answered 429 or 5xx, or not
answered at all, is tried again ``retries`` times after a growing pause (the server's
``Retry-After`` when it gives one), then skipped and the crawl marked incomplete.
"""

from __future__ import annotations

import html
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from bs4 import BeautifulSoup, Tag

from tandem.knowledge.formats import ParsedArticle, html_to_article, slugify

USER_AGENT = "TandemKnowledgeCrawler/1.0"
DEFAULT_MAX_PAGES = 200
DEFAULT_MAX_DEPTH = 3
DEFAULT_DELAY_SECONDS = 1.0
DEFAULT_RETRIES = 3
MAX_WAIT_SECONDS = 60.0  # the longest crawl-delay or Retry-After honoured
TIMEOUT_SECONDS = 10.0
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_LOC = re.compile(r"<(?:\w+:)?loc>\s*([^<\s]+)\s*</(?:\w+:)?loc>", re.IGNORECASE)
Progress = Callable[[int, str], None]  # (pages fetched so far, url)
Sleep = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class CrawlLimits:
    max_pages: int = DEFAULT_MAX_PAGES
    max_depth: int = DEFAULT_MAX_DEPTH
    delay_seconds: float = DEFAULT_DELAY_SECONDS  # between two requests to the site
    retries: int = DEFAULT_RETRIES  # more tries of a page answered 429/5xx or not at all


class _Pacer:
    """Keeps requests ``delay`` seconds apart and retries the ones worth retrying."""

    def __init__(self, client: httpx.Client, *, delay: float, retries: int, sleep: Sleep) -> None:
        self._client, self._delay, self._retries, self._sleep = client, delay, retries, sleep
        self._last: float | None = None

    def get(self, url: str) -> httpx.Response:
        for attempt in range(self._retries + 1):
            self._wait(self._delay)
            try:
                response = self._client.get(url)
            except httpx.TransportError:
                if attempt == self._retries:
                    raise
                self._sleep(min(MAX_WAIT_SECONDS, 2.0**attempt))
                continue
            if response.status_code not in _RETRY_STATUSES or attempt == self._retries:
                return response
            self._sleep(_retry_after(response) or min(MAX_WAIT_SECONDS, 2.0**attempt))
        raise AssertionError("unreachable")  # the loop returns or raises on its last attempt

    def _wait(self, delay: float) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < delay:
            self._sleep(delay - (now - self._last))
        self._last = time.monotonic()


def _retry_after(response: httpx.Response) -> float | None:
    """The seconds a server asks us to wait (Retry-After in seconds), within reason."""
    value = response.headers.get("retry-after", "").strip()
    return min(MAX_WAIT_SECONDS, float(value)) if value.isdigit() else None


@dataclass(slots=True)
class CrawlResult:
    site: str  # scheme://host/ : every article's source_path starts with it
    articles: list[ParsedArticle] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "url: reason"
    complete: bool = True


def site_of(url: str) -> str:
    """Return the ``scheme://host/`` prefix of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _normal(url: str) -> str:
    return urldefrag(url)[0]


def _robots(client: httpx.Client, site: str) -> RobotFileParser:
    parser = RobotFileParser()
    try:
        response = client.get(urljoin(site, "/robots.txt"))
    except httpx.HTTPError:
        response = None
    if response is None or response.status_code >= 400:
        parser.parse([])  # no robots.txt: everything is allowed
    else:
        parser.parse(response.text.splitlines())
    return parser


def _is_sitemap(url: str, response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "")
    return url.endswith(".xml") or ("xml" in kind and "html" not in kind)


def _sitemap_urls(xml: str) -> list[str]:
    # A sitemap is flat: <loc> elements hold the URLs. A pattern reads it without an XML
    # parser, so untrusted documents cannot expand entities.
    return [html.unescape(url) for url in _LOC.findall(xml)]


def _links(html: str, base: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found: list[str] = []
    for anchor in soup.find_all("a", href=True):
        if isinstance(anchor, Tag):
            found.append(_normal(urljoin(base, str(anchor["href"]))))
    return found


def _slug(url: str, taken: set[str]) -> str:
    path = urlsplit(url).path.rsplit(".", 1)[0] if "." in urlsplit(url).path else urlsplit(url).path
    base = slugify(path) or "home"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def crawl(
    start: str,
    *,
    client: httpx.Client,
    limits: CrawlLimits = CrawlLimits(),
    progress: Progress | None = None,
    sleep: Sleep = time.sleep,
) -> CrawlResult:
    """Fetch the pages of ``start``'s site and turn each HTML page into an article."""
    site = site_of(start)
    result = CrawlResult(site=site)
    robots = _robots(client, site)
    asked = robots.crawl_delay(USER_AGENT)
    delay = min(MAX_WAIT_SECONDS, max(limits.delay_seconds, float(asked or 0)))
    pacer = _Pacer(client, delay=delay, retries=limits.retries, sleep=sleep)
    queue: deque[tuple[str, int]] = deque([(_normal(start), 0)])
    seen = {_normal(start)}
    slugs: set[str] = set()
    contents: dict[str, str] = {}  # content hash -> first URL
    fetched = 0

    def allowed(url: str) -> bool:
        return url.startswith(site) and robots.can_fetch(USER_AGENT, url)

    while queue:
        url, depth = queue.popleft()
        if not allowed(url):
            result.skipped.append(f"{url}: disallowed by robots.txt")
            continue
        if fetched >= limits.max_pages:
            result.complete = False
            break
        try:
            response = pacer.get(url)
        except httpx.HTTPError as error:
            result.skipped.append(f"{url}: {error}")
            result.complete = False
            continue
        fetched += 1
        if progress is not None:
            progress(fetched, url)
        if response.status_code >= 400:
            result.skipped.append(f"{url}: HTTP {response.status_code}")
            if response.status_code in _RETRY_STATUSES:
                result.complete = False  # the page may well exist: a re-sync must not delete it
            continue
        if _is_sitemap(url, response):
            for page in _sitemap_urls(response.text):
                if _normal(page) not in seen and page.startswith(site):
                    seen.add(_normal(page))
                    queue.append((_normal(page), 0))
            continue
        if "html" not in response.headers.get("content-type", "text/html"):
            continue
        try:
            article = html_to_article(response.text, slug=_slug(url, slugs), source=url)
        except ValueError as error:
            result.skipped.append(f"{url}: {error}")
        else:
            # One page is often reachable at two URLs ("/" and "/index.html"); keep the first.
            if article.content_hash in contents:
                slugs.discard(article.slug)
                result.skipped.append(f"{url}: same content as {contents[article.content_hash]}")
            else:
                contents[article.content_hash] = url
                result.articles.append(article)
        if depth < limits.max_depth:
            for link in _links(response.text, url):
                if link not in seen and link.startswith(site):
                    seen.add(link)
                    queue.append((link, depth + 1))
    return result


def crawl_site(
    start: str,
    *,
    limits: CrawlLimits = CrawlLimits(),
    progress: Progress | None = None,
    sleep: Sleep = time.sleep,
) -> CrawlResult:
    """Crawl ``start`` with a polite client: our user agent, a timeout, redirects followed."""
    with httpx.Client(
        headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT_SECONDS, follow_redirects=True
    ) as client:
        return crawl(start, client=client, limits=limits, progress=progress, sleep=sleep)
