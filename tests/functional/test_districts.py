"""A council's districts, where its residents live, and votes for one district's residents."""

import pytest
from sqlalchemy import select

from consultation.councils.models import District, Residence
from consultation.extensions import db
from consultation.permissions import Role
from consultation.voting import services
from consultation.voting.models import Vote
from tests.factories import make_council, make_user
from tests.factories_votes import keys, make_vote

EN = {"Accept-Language": "en"}


@pytest.fixture()
def territory(ctx):
    council = make_council(slug="macouria")
    north, south = District(name="Sainte-Agathe"), District(name="Soula")
    council.districts.extend([north, south])
    db.session.commit()
    return {"council": council, "north": north, "south": south}


def live_in(user, district):
    db.session.add(Residence(user_id=user.id, council_id=district.council_id, district_id=district.id))
    db.session.commit()


@pytest.mark.parametrize(
    ("role", "expected"), [(None, 302), (Role.RESIDENT, 403), (Role.FACILITATOR, 403), (Role.PRESIDENT, 302)]
)
def test_the_president_adds_districts(app, login, territory, role, expected):
    client = app.test_client()
    if role is not None:
        login(client, make_user(role, territory["council"]))
    response = client.post("/councils/macouria/districts", data={"name": "Préfontaine"})
    assert response.status_code == expected
    names = set(db.session.scalars(select(District.name)))
    assert ("Préfontaine" in names) is (role == Role.PRESIDENT)


def test_a_district_twice_or_nameless_is_refused_and_a_used_one_stays(app, login, territory):
    client = login(app.test_client(), make_user(Role.PRESIDENT, territory["council"]))
    twice = client.post("/councils/macouria/districts", data={"name": "soula"}, headers=EN)
    assert twice.status_code == 422 and "already has this district" in twice.get_data(as_text=True)
    assert client.post("/councils/macouria/districts", data={"name": ""}).status_code == 422
    vote = make_vote(territory["council"], electorate="residents")
    vote.district = territory["north"]
    db.session.commit()
    used = client.post(f"/councils/macouria/districts/{territory['north'].id}/delete", headers=EN)
    assert used.status_code == 409 and "the district stays" in used.get_data(as_text=True)
    assert client.post(f"/councils/macouria/districts/{territory['south'].id}/delete").status_code == 302
    assert set(db.session.scalars(select(District.name))) == {"Sainte-Agathe"}
    other = District(name="Ailleurs", council=make_council())
    db.session.add(other)
    db.session.commit()
    assert client.post(f"/councils/macouria/districts/{other.id}/delete").status_code == 404


def test_a_resident_says_where_they_live(app, login, territory):
    resident = make_user(Role.RESIDENT, territory["council"])
    client = login(app.test_client(), resident)
    page = client.get("/councils/macouria/my-district", headers=EN).get_data(as_text=True)
    assert "Sainte-Agathe" in page and "Soula" in page
    assert (
        client.post("/councils/macouria/my-district", data={"district": str(territory["south"].id)}).status_code == 302
    )
    residence = db.session.scalar(select(Residence))
    assert (residence.user_id, residence.district_id) == (resident.id, territory["south"].id)
    assert client.post("/councils/macouria/my-district", data={"district": "999999"}).status_code == 422
    assert client.post("/councils/macouria/my-district", data={"district": ""}).status_code == 302
    assert db.session.scalar(select(Residence)) is None
    stranger = login(app.test_client(), make_user())
    assert stranger.get("/councils/macouria/my-district").status_code == 403


def test_a_vote_for_one_districts_residents(app, login, territory):
    council = territory["council"]
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, council))
    response = facilitator.post(
        "/councils/macouria/votes/new",
        data={
            "question": "Où mettre l'abri ?",
            "method": "plurality",
            "electorate": "residents",
            "district": str(territory["north"].id),
            "options": "Devant l'école\nAu marché",
            "max_proxies": "1",
        },
    )
    assert response.status_code == 302
    vote = db.session.scalar(select(Vote))
    assert vote.district.id == territory["north"].id
    north_resident, south_resident = make_user(Role.RESIDENT, council), make_user(Role.RESIDENT, council)
    live_in(north_resident, territory["north"])
    live_in(south_resident, territory["south"])
    services.open_vote(make_user(Role.FACILITATOR, council), vote, now=vote.created_at)
    db.session.commit()
    ballot = {"choice": keys(vote)[0]}
    assert (
        login(app.test_client(), north_resident)
        .post(f"/councils/macouria/votes/{vote.id}/ballot", data=ballot)
        .status_code
        == 302
    )
    assert (
        login(app.test_client(), south_resident)
        .post(f"/councils/macouria/votes/{vote.id}/ballot", data=ballot)
        .status_code
        == 403
    )
    assert services.electorate_count(vote) == 1
    page = app.test_client().get(f"/councils/macouria/votes/{vote.id}", headers=EN).get_data(as_text=True)
    assert "residents of Sainte-Agathe" in page


def test_a_district_goes_with_the_residents_electorate_of_its_own_council(app, login, territory):
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, territory["council"]))
    data = {
        "question": "Où mettre l'abri ?",
        "method": "plurality",
        "electorate": "members",
        "district": str(territory["north"].id),
        "options": "A\nB",
        "max_proxies": "1",
    }
    refused = facilitator.post("/councils/macouria/votes/new", data=data, headers=EN)
    assert refused.status_code == 422 and "choose that electorate" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Vote)) is None
