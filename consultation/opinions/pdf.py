"""An opinion as a tagged PDF (PDF/UA-1), or an archive PDF/A-3b carrying its data as CSV and JSON,
rendered in the reader's language from plain data."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from flask import render_template
from weasyprint import HTML, Attachment

from consultation.csv_cells import neutralise
from consultation.i18n import force_locale, language
from consultation.opinions.export import opinion_data
from consultation.opinions.figures import method_figures, workshop_vote_context
from consultation.opinions.labels import ANSWER_LABELS, TIMELINE_LABELS
from consultation.opinions.models import Opinion
from consultation.pdf import ARCHIVE_VARIANT, PDF_VARIANT, NoRemoteFetcher, page_counter_content
from consultation.text import render_markdown


def opinion_pdf_html(opinion: Opinion, lang: str) -> str:
    with force_locale(lang):
        return render_template(
            "pdf/opinion.html",
            opinion=opinion,
            council=opinion.council,
            workshop=opinion.workshop,
            items=opinion.items,
            render_markdown=render_markdown,
            answer_labels=ANSWER_LABELS,
            timeline_labels=TIMELINE_LABELS,
            doc_language=language(lang),
            page_counter_content=page_counter_content,
            figures=method_figures(opinion.workshop_ids, opinion.consultation_ids),
            **workshop_vote_context(opinion.workshop_ids),
        )


def _data_attachments(opinion: Opinion) -> list[Attachment]:
    # The date of "today" would make two exports differ: the archive states the facts as of adoption.
    data = opinion_data(opinion, opinion.adopted_at.date() if opinion.adopted_at else date(2000, 1, 1))
    data.pop("follow_up", None)
    data.pop("due_on", None)
    as_json = json.dumps(data, ensure_ascii=False, indent=2)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["kind", "position", "text", "supports", "sources"])
    for recommendation in data["recommendations"]:
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    "recommendation",
                    recommendation["position"],
                    recommendation["text"],
                    "",
                    " ".join(map(str, recommendation["sources"])),
                )
            ]
        )
    for proposal in data["proposals"]:
        writer.writerow(
            [
                neutralise(v)
                for v in ("proposal", proposal["rank"], proposal["title"], proposal["supports"], proposal["id"])
            ]
        )
    return [
        Attachment(string=as_json, name="opinion.json", description="Opinion data (JSON)", relationship="Data"),
        Attachment(string=output.getvalue(), name="opinion.csv", description="Opinion data (CSV)", relationship="Data"),
    ]


def render_opinion_pdf(opinion: Opinion, lang: str, *, archive: bool = False) -> bytes:
    html = HTML(string=opinion_pdf_html(opinion, lang), url_fetcher=NoRemoteFetcher())
    if archive:
        return html.write_pdf(pdf_variant=ARCHIVE_VARIANT, pdf_tags=True, attachments=_data_attachments(opinion))
    return html.write_pdf(pdf_variant=PDF_VARIANT)
