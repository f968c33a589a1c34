"""A workshop's printable documents as tagged PDF (PDF/UA-1): the sign-in sheet and the minutes."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from weasyprint import HTML

from consultation.i18n import language
from consultation.pdf import PDF_VARIANT, NoRemoteFetcher, page_counter_content
from consultation.text import render_markdown
from consultation.workshops.attendance import SheetRow
from consultation.workshops.models import Workshop

BLANK_LINES = 12  # for people who come without registering or a phone


def _write(html: str) -> bytes:
    return HTML(string=html, url_fetcher=NoRemoteFetcher()).write_pdf(pdf_variant=PDF_VARIANT)


def signin_sheet_pdf(workshop: Workshop, rows: list[SheetRow], lang: str) -> bytes:
    with force_locale(lang):
        html = render_template(
            "pdf/signin_sheet.html",
            workshop=workshop,
            council=workshop.council,
            rows=rows,
            blank_lines=BLANK_LINES,
            doc_language=language(lang),
            page_counter_content=page_counter_content,
        )
    return _write(html)


def minutes_pdf(workshop: Workshop, minutes, lang: str) -> bytes:
    with force_locale(lang):
        html = render_template(
            "pdf/minutes.html",
            workshop=workshop,
            council=workshop.council,
            minutes=minutes,
            body_html=render_markdown(minutes.body),
            doc_language=language(lang),
            page_counter_content=page_counter_content,
        )
    return _write(html)
