"""Filters the templates share."""

from tests.factories import make_council, make_proposal, make_user, make_workshop


def test_isolate_keeps_a_name_in_its_own_direction_and_escapes_it(app):
    render = app.jinja_env.from_string("{{ _('By %(name)s', name=name|isolate) }}").render
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render(name="Marie-José") == "By <bdi>Marie-José</bdi>"
        assert render(name="<script>alert(1)</script>") == "By <bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>"


def test_an_arabic_page_isolates_the_authors_of_a_workshop_s_proposals(client, ctx):
    council = make_council()
    workshop = make_workshop(council)
    make_proposal(workshop, make_user(name="Marie-José"))
    page = client.get(f"/councils/{council.slug}/workshops/{workshop.id}", headers={"Accept-Language": "ar"}).get_data(
        as_text=True
    )
    assert "<bdi>Marie-José</bdi>" in page


def test_a_hostile_author_name_stays_text_in_the_isolated_list_of_authors(client, ctx):
    council = make_council()
    workshop = make_workshop(council)
    make_proposal(workshop, make_user(name="<img src=x onerror=alert(1)>"))
    page = client.get(f"/councils/{council.slug}/workshops/{workshop.id}").get_data(as_text=True)
    assert "<bdi>&lt;img src=x onerror=alert(1)&gt;</bdi>" in page
    assert "<img src=x" not in page
