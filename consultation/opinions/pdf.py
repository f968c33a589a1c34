"""An opinion as a tagged PDF (PDF/UA-1), rendered in the reader's language from plain data."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from consultation.i18n import language
from consultation.opinions.models import Opinion
from consultation.text import render_markdown

PDF_VARIANT = "pdf/ua-1"


class NoRemoteFetcher(URLFetcher):
    """Everything a PDF shows is inline: nothing is fetched from the network or the disk."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",))


def page_counter_content() -> Markup:
    """The CSS `content` of the page footer, "Page X of Y" in the document's language.

    The sentence is translated whole, then cut at its placeholders, so that each language
    keeps its own word order."""
    sentence = _("Page %(page)s of %(pages)s", page="\x00page\x00", pages="\x00pages\x00")
    parts = []
    for index, piece in enumerate(sentence.split("\x00")):
        if index % 2:
            parts.append(f"counter({'pages' if piece == 'pages' else 'page'})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup(" ".join(parts))  # noqa: S704  (CSS built from a translated string, quotes escaped)


def opinion_pdf_html(opinion: Opinion, lang: str) -> str:
    with force_locale(lang):
        return render_template(
            "pdf/opinion.html",
            opinion=opinion,
            council=opinion.council,
            workshop=opinion.workshop,
            items=opinion.items,
            recommendations_html=render_markdown(opinion.recommendations),
            doc_language=language(lang),
            page_counter_content=page_counter_content,
        )


def render_opinion_pdf(opinion: Opinion, lang: str) -> bytes:
    html = opinion_pdf_html(opinion, lang)
    return HTML(string=html, url_fetcher=NoRemoteFetcher()).write_pdf(pdf_variant=PDF_VARIANT)
