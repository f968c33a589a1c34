"""An opinion's PDF says what its page says, is tagged, carries its language, and is reproducible."""

import io
import re
import subprocess

import pikepdf
import pytest

from consultation.extensions import db
from consultation.opinions.pdf import render_opinion_pdf
from consultation.opinions.services import create_opinion
from consultation.permissions import Role
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_proposal, make_user, make_workshop


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.fixture()
def opinion(ctx, data_app):
    council = make_council(name="Conseil citoyen de Pantin")
    workshop = make_workshop(council, phase=Phase.DISCUSSION, title="Les rez-de-chaussée des Quatre-Chemins")
    for title, supports in (("Une recyclerie", 4), ("Un café associatif", 2), ("Une épicerie solidaire", 7)):
        make_proposal(workshop, title=title, supports=supports)
    member = make_user(Role.MEMBER, council)
    with data_app.test_request_context():
        made = create_opinion(
            member, workshop, title="Avis sur les rez-de-chaussée", recommendations="1. **Réserver** des locaux à l'ESS.",
            language="fr", top=10, now=workshop.starts_at,
        )
    db.session.commit()
    return made


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_is_tagged_with_language_title_and_author(data_app, opinion, lang):
    with data_app.test_request_context():
        data = render_opinion_pdf(opinion, lang)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root
        assert str(pdf.docinfo["/Title"]) == "Avis sur les rez-de-chaussée"
        assert str(pdf.docinfo["/Author"]) == "Conseil citoyen de Pantin"


def test_pdf_lists_the_proposals_with_the_counts_of_the_page(client, login, data_app, opinion):
    with data_app.test_request_context():
        text = pdf_text(render_opinion_pdf(opinion, "fr"))
    login(client, make_user(Role.MEMBER, opinion.council))
    page = client.get(f"/councils/{opinion.council.slug}/opinions/{opinion.id}").get_data(as_text=True)
    for title, count in (("Une épicerie solidaire", 7), ("Une recyclerie", 4), ("Un café associatif", 2)):
        assert re.search(rf"{title}\s+{count}\b", text), text
        assert re.search(rf"{title}</td>\s*<td class=\"numeric\">{count}</td>", page)
    assert text.index("Une épicerie solidaire") < text.index("Une recyclerie") < text.index("Un café associatif")
    assert "Réserver des locaux à l'ESS" in text and "Conseil citoyen de Pantin" in text
    assert re.search(r"Page 1 sur 1", text)


def test_the_same_opinion_exported_twice_gives_the_same_text(data_app, opinion):
    with data_app.test_request_context():
        assert pdf_text(render_opinion_pdf(opinion, "fr")) == pdf_text(render_opinion_pdf(opinion, "fr"))


def test_hostile_text_is_printed_not_executed(data_app, opinion):
    opinion.recommendations = "<script>alert(1)</script> [lien](javascript:alert(1)) =SUM(A1)"
    with data_app.test_request_context():
        text = pdf_text(render_opinion_pdf(opinion, "fr"))
    assert "<script>alert(1)</script>" in text
    db.session.rollback()
