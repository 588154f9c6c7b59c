"""Jinja2 templates (autoescaped: message text is never rendered as HTML), in the reader's language.

Templates mark their texts with ``{% trans %}`` and ``_()`` (jinja2.ext.i18n, newstyle: a
literal ``%`` is written ``%%``). The language is the one the request settled on
(``request.state.language``: a staff member's choice, a customer page's ``lang``), else the
browser's, else English; every page gets it as ``ui_language`` for ``<html lang>``.
"""

from __future__ import annotations

from gettext import NullTranslations
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from tandem.config import Settings
from tandem.routing.sla import SlaClock
from tandem.web import sla_texts, translations

TEMPLATES = Path(__file__).parent / "templates"
UI_TEXTS_ID = "ui-texts"


def request_language(request: Request) -> str:
    """Return the language of ``request``'s pages: as settled, else the browser's, else English."""
    settled = translations.supported(getattr(request.state, "language", None))
    accepted = translations.negotiate(request.headers.get("accept-language"))
    return settled or accepted or translations.ENGLISH


def request_catalogue(request: Request) -> NullTranslations:
    """The catalogue of ``request``'s language, for texts written in Python (errors, charts)."""
    return translations.translations(request_language(request))


def settle_customer_language(request: Request, settings: Settings, asked: str | None) -> str:
    """Settle a customer page's language: ``asked`` (``?lang=``), the browser's, the company's."""
    language = (
        translations.supported(asked)
        or translations.negotiate(request.headers.get("accept-language"))
        or translations.supported(settings.interface_language)
        or translations.ENGLISH
    )
    request.state.language = language
    return language


def _language_context(request: Request) -> dict[str, Any]:  # Any: template values
    language = request_language(request)
    asked = translations.supported(request.query_params.get("lang"))
    return {
        "ui_language": language,
        "ui_translations": translations.translations(language),
        # A customer page opened with ?lang= keeps it on its links to the other customer pages.
        "lang_query": f"?lang={asked}" if asked else "",
    }


def _catalogue(context: jinja2.runtime.Context) -> Any:  # Any: a gettext translations object
    return context.get("ui_translations") or translations.translations(translations.ENGLISH)


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return str(_catalogue(context).gettext(message))


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return str(_catalogue(context).ngettext(singular, plural, n))


@jinja2.pass_context
def _pgettext(context: jinja2.runtime.Context, where: str, message: str) -> str:
    return str(_catalogue(context).pgettext(where, message))


@jinja2.pass_context
def _npgettext(
    context: jinja2.runtime.Context, where: str, singular: str, plural: str, n: int
) -> str:
    return str(_catalogue(context).npgettext(where, singular, plural, n))


@jinja2.pass_context
def ui_texts(
    context: jinja2.runtime.Context, *scripts: str, element_id: str = UI_TEXTS_ID
) -> Markup:
    """Render the translations of the texts ``scripts`` use, for static/js/i18n.js to read."""
    language = context.get("ui_language") or translations.ENGLISH
    texts = translations.script_texts(language, scripts)
    return Markup(  # noqa: S704 - JSON escaped for HTML by htmlsafe_json_dumps, id is ours
        f'<script type="application/json" id="{element_id}">{htmlsafe_json_dumps(texts)}</script>'
    )


@jinja2.pass_context
def _translate(context: jinja2.runtime.Context, message: str | translations.Text) -> str:
    """Translate a text chosen in Python (marked with ``N_``); an unmarked one stays as it is."""
    if isinstance(message, translations.Text):
        return str(_catalogue(context).gettext(message.message)) % message.values
    return str(_catalogue(context).gettext(message))


@jinja2.pass_context
def _sla_text(context: jinja2.runtime.Context, clock: SlaClock) -> str:
    return sla_texts.clock_text(clock, _catalogue(context))


@jinja2.pass_context
def _sla_label(context: jinja2.runtime.Context, clock: SlaClock) -> str:
    language = context.get("ui_language") or translations.ENGLISH
    return sla_texts.clock_label(clock, _catalogue(context), language)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Texts spread over lines are one message with single spaces (as extracted: pyproject.toml).
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    env.globals["ui_texts"] = ui_texts
    env.filters["translate"] = _translate
    env.globals["sla_text"] = _sla_text
    env.globals["sla_label"] = _sla_label
    return env


templates = Jinja2Templates(env=_environment(), context_processors=[_language_context])
