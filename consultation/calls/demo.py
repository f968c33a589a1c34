"""Demo data of the territory's animation: a ranked diagnostic and one still collecting, and calls for
projects at every step (terms being drafted, open with a jury at work, results published)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from consultation.accounts.models import User
from consultation.calls import services as calls
from consultation.calls.rules import Decision
from consultation.councils.models import Council
from consultation.diagnostic import services as diagnostics
from consultation.extensions import db
from consultation.voting import services as voting
from consultation.workshops.models import Workshop

CHALLENGES = [
    ("Se déplacer sans voiture entre les quartiers", "Beaucoup de familles n'ont pas de voiture ; le car passe peu."),
    ("Des lieux pour les jeunes le soir", "Les jeunes n'ont nulle part où se retrouver après 18 h."),
    ("Manger local à prix juste", "Les produits des abattis se vendent loin ; la cantine achète hors du territoire."),
    ("Trouver un premier emploi", "Les jeunes diplômés partent à Cayenne faute d'entreprises qui recrutent ici."),
]


def load(councils: dict[str, Council], people: dict[str, User], residents: list[User], now, rng: random.Random) -> int:
    """Returns the number of applications made."""
    council = councils["macouria"]
    facilitator = people["animatrice@demo.test"]
    # Spread over the past weeks, so that every date shown is plausible.
    opened = now - timedelta(days=60)
    ranked = diagnostics.open_diagnostic(
        facilitator,
        council,
        diagnostics.DiagnosticInput(
            title="Diagnostic partagé de Sainte-Agathe 2026",
            description="Les défis du quartier, proposés par les habitants et les acteurs de l'ESS, puis classés.",
            opens_on=opened.date(),
            closes_on=None,
        ),
        now=opened,
    )
    for index, (title, description) in enumerate(CHALLENGES):
        diagnostics.propose_challenge(
            residents[index % len(residents)],
            ranked,
            diagnostics.ChallengeInput(title=title, description=description),
            now=opened + timedelta(days=1 + index),
        )
    for challenge in diagnostics.challenges_of(facilitator.actor, ranked):
        diagnostics.moderate_challenge(facilitator, challenge, "accept", now=opened + timedelta(days=8))
    vote = diagnostics.open_prioritisation(facilitator, ranked, now=now - timedelta(days=40))
    keys = voting.option_keys(vote)
    for resident in residents:
        ballot = {key: min(5, max(0, 4 - position + rng.randint(-1, 1))) for position, key in enumerate(keys)}
        voting.cast_ballot(resident, vote, ballot, now=now - timedelta(days=39))
    lines = diagnostics.publish_ranking(facilitator, ranked, now=now - timedelta(days=35))

    collecting = diagnostics.open_diagnostic(
        people["mairie@demo.test"],
        council,
        diagnostics.DiagnosticInput(
            title="Diagnostic du bourg 2027",
            description="Quels défis pour le bourg de Macouria ? Proposez-les jusqu'à la fin du mois.",
            opens_on=now.date() - timedelta(days=3),
            closes_on=now.date() + timedelta(days=30),
        ),
        now=now - timedelta(days=3),
    )
    diagnostics.propose_challenge(
        residents[0],
        collecting,
        diagnostics.ChallengeInput(
            title="Des trottoirs praticables", description="On marche sur la route avec les poussettes."
        ),
        now=now - timedelta(days=2),
    )

    workshop = db.session.scalar(
        select(Workshop).where(Workshop.council_id == council.id).order_by(Workshop.starts_at.desc())
    )
    criteria = (
        calls.CriterionInput("Réponse aux défis du diagnostic", 3, "Le projet répond-il à un défi classé ?"),
        calls.CriterionInput("Coopération entre acteurs", 2, "Plusieurs structures y travaillent-elles ensemble ?"),
        calls.CriterionInput("Faisabilité", 1, "Budget, calendrier et équipe sont-ils réalistes ?"),
    )

    def terms(title: str, days_open: int, days_close: int, **extra) -> calls.CallInput:
        return calls.CallInput(
            title=title,
            description="Un appel coopératif : ses règles ont été discutées avec les acteurs en atelier.",
            themes="Mobilités, alimentation, jeunesse",
            eligibility="Associations, coopératives et entreprises de l'ESS du territoire de Macouria.",
            budget=30000,
            opens_on=now.date() + timedelta(days=days_open),
            closes_on=now.date() + timedelta(days=days_close),
            scoring=extra.pop("scoring", "score"),
            min_organisations=extra.pop("min_organisations", 0),
            criteria=criteria,
            workshop_id=workshop.id if workshop else None,
            ranking_ids=tuple(line.id for line in lines[:2]),
        )

    calls.create_call(facilitator, council, terms("Appel à projets « Bouger ensemble » 2027", 20, 80), now=now)
    open_call = calls.create_call(
        facilitator, council, terms("Appel à projets alimentation solidaire", -10, 20, min_organisations=2), now=now
    )
    calls.publish_terms(facilitator, open_call, now=now - timedelta(days=10))
    done = calls.create_call(
        facilitator, council, terms("Appel à projets jeunesse 2026", -50, -15, scoring="grades"), now=now
    )
    calls.publish_terms(facilitator, done, now=now - timedelta(days=50))

    jury = [people["conseiller@demo.test"], people["secretaire@demo.test"], people["presidente@demo.test"]]
    for call in (open_call, done):
        for member in jury:
            calls.name_jury_member(facilitator, call, member.id, now=now - timedelta(days=45))
    made = 0
    projects = [
        ("Épicerie solidaire de Soula", ("Association Soula Solidaire", "Coopérative Agri-Macouria")),
        ("Cantine des abattis", ("Les Jardins de Tonate", "Association des parents d'élèves")),
    ]
    for index, (title, partners) in enumerate(projects):
        call_date = now - timedelta(days=5 - index)
        application = calls.submit_application(
            residents[index],
            open_call,
            calls.ApplicationInput(
                title=title,
                summary="Un projet porté par plusieurs structures du quartier, pour les familles.",
                budget_requested=8000 + 2000 * index,
                answers={c.id: "Notre réponse, détaillée dans le dossier." for c in open_call.criteria},
                partners=partners,
            ),
            now=call_date,
        )
        made += 1
        calls.score_application(jury[0], application, {c.id: 6 + index for c in open_call.criteria}, now=now)
    calls.declare_conflict(jury[1], application, reason="Je suis adhérente de l'association.", now=now)

    youth = []
    for index, title in enumerate(("Plateau sportif éclairé", "Studio de musique partagé", "Chantier jeunes")):
        youth.append(
            calls.submit_application(
                residents[index + 2],
                done,
                calls.ApplicationInput(
                    title=title,
                    summary="Un lieu et des activités pour les jeunes du quartier, le soir et le week-end.",
                    budget_requested=9000 + 1000 * index,
                    answers={c.id: "Voir le dossier joint." for c in done.criteria},
                ),
                now=now - timedelta(days=30 - index),
            )
        )
        made += 1
    # Grades (0 "reject" … 5 "very good"): the jury's marks, before the results.
    for member in jury:
        for index, application in enumerate(youth):
            grade = max(0, 5 - index - rng.randint(0, 1))
            calls.score_application(member, application, {c.id: grade for c in done.criteria}, now=now)
    calls.publish_results(
        facilitator,
        done,
        [
            Decision(youth[0].id, True, 9000, 9000, "Très bonne réponse au défi « des lieux pour les jeunes »."),
            Decision(youth[1].id, True, 8000, 10000, "Projet solide ; budget ramené à 8 000 euros."),
            Decision(youth[2].id, False, 0, 11000, "Intéressant mais le calendrier n'est pas réaliste."),
        ],
        now=now - timedelta(days=7),
    )
    db.session.flush()
    return made
