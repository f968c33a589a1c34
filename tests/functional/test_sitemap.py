"""The sitemap lists the public pages, never a draft; robots.txt points to it."""

from xml.etree import ElementTree

from consultation.extensions import db
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_opinion, make_workshop
from tests.factories_votes import make_vote
from tests.statements import recorded_statements

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return [node.text for node in ElementTree.fromstring(response.data).findall("s:url/s:loc", NS)]


def test_the_sitemap_lists_public_pages_and_no_draft(client):
    council = make_council(slug="macouria")
    published = make_workshop(council)
    draft = make_workshop(council, is_published=False)
    adopted = make_opinion(published, status="adopted")
    drafted = make_opinion(published)
    closed = make_vote(council, status="closed")
    open_vote = make_vote(council)
    found = locations(client)
    assert "http://localhost/councils/macouria" in found
    assert f"http://localhost/councils/macouria/workshops/{published.id}" in found
    assert f"http://localhost/councils/macouria/workshops/{draft.id}" not in found
    assert f"http://localhost/councils/macouria/opinions/{adopted.id}" in found
    assert f"http://localhost/councils/macouria/opinions/{drafted.id}" not in found
    assert f"http://localhost/councils/macouria/votes/{closed.id}/results" in found
    assert f"http://localhost/councils/macouria/votes/{open_vote.id}/results" not in found
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots and "Disallow: /account" in robots


def test_the_sitemap_query_count_does_not_grow_with_the_territory(app, client):
    def count() -> int:
        db.session.remove()
        with recorded_statements() as statements:
            assert client.get("/sitemap.xml").status_code == 200
        return len(statements)

    make_workshop(make_council())
    small = count()
    for _ in range(5):
        council = make_council()
        for _ in range(4):
            make_workshop(council, phase=Phase.CLOSED)
    assert count() == small
