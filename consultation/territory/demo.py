"""Demo data of the territory's directory and project holders: organisations of Macouria and Dieppe
(one waiting for approval, one hidden), an approved representative, experts at a workshop, and project
requests at every step of their follow-up."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from consultation.accounts.models import User
from consultation.councils.models import Council
from consultation.extensions import db
from consultation.territory import services
from consultation.workshops.models import Workshop

# (name, kind, services, themes, districts, languages, welcomes project holders, hours, phone)
MACOURIA = [
    (
        "Couveuse d'entreprises de Guyane",
        "social_enterprise",
        "Formation à la création d'entreprise, accompagnement, micro-crédit et aide au financement.",
        ["Emploi et économie solidaire"],
        [],
        ["fr", "pt_BR", "es"],
        True,
        "Du lundi au jeudi, 8 h – 16 h",
        "0594 30 12 34",
    ),
    (
        "Tiers-lieu de Soula",
        "third_place",
        "Salle de réunion, espace de coworking, atelier partagé et réseau d'entraide des porteurs de projets.",
        ["Jeunesse", "Emploi et économie solidaire"],
        ["Soula"],
        ["fr", "ht", "gcr"],
        True,
        "Du mardi au samedi, 9 h – 19 h",
        "0594 31 00 00",
    ),
    (
        "Association des femmes de Tonate",
        "association",
        "Mise en relation avec des partenaires, réseau de productrices, ateliers de cuisine.",
        ["Cadre de vie"],
        ["Tonate"],
        ["fr", "pt_BR", "srn"],
        True,
        "Le mercredi après-midi",
        "",
    ),
    (
        "Maison des initiatives locales (MILSH)",
        "public_service",
        "Accueil et orientation des porteurs de projets, aide au statut juridique de l'association.",
        ["Emploi et économie solidaire", "Cadre de vie"],
        [],
        ["fr", "ht", "pt_BR", "es"],
        True,
        "Du lundi au vendredi, 8 h 30 – 12 h 30",
        "0594 38 00 00",
    ),
    (
        "Coopérative de transport Sainte-Agathe",
        "cooperative",
        "Transport solidaire vers Cayenne et Kourou.",
        ["Mobilités"],
        ["Sainte-Agathe", "Le bourg"],
        ["fr"],
        False,
        "",
        "0594 32 45 67",
    ),
]

# (title, description, needs, themes, district, language, days ago, step)
REQUESTS = [
    (
        "Uma padaria comunitária",
        "Quero abrir uma padaria com as mulheres de Tonate. Temos receitas, falta um local e dinheiro para o forno.",
        ["funding", "premises"],
        ["Emploi et économie solidaire"],
        "Tonate",
        "pt_BR",
        40,
        "closed",
    ),
    (
        "Un atelier vélo pour les jeunes",
        "Réparer des vélos avec les jeunes du quartier le samedi, et les prêter à ceux qui n'en ont pas.",
        ["premises", "partners"],
        ["Jeunesse", "Mobilités"],
        "Soula",
        "fr",
        20,
        "referred",
    ),
    (
        "Yon kolektif pou fè jaden",
        "Nou vle fè yon jaden kominotè dèyè lekòl la. Nou bezwen fòmasyon ak yon estati.",
        ["training", "legal_form"],
        ["Cadre de vie"],
        "Sainte-Agathe",
        "ht",
        3,
        "received",
    ),
]


def load(councils: dict[str, Council], people: dict[str, User], residents: list[User], now, rng: random.Random) -> int:
    """Returns the number of organisations added."""
    council = councils["macouria"]
    facilitator = people["animatrice@demo.test"]
    themes = {theme.name: theme.id for theme in council.themes}
    districts = {district.name: district.id for district in council.districts}
    added = []
    for name, kind, offered, theme_names, district_names, languages, welcomes, hours, phone in MACOURIA:
        added.append(
            services.create_organisation(
                facilitator,
                council,
                services.OrganisationInput(
                    name=name,
                    kind=kind,
                    services=offered,
                    description=f"{name} : un acteur de l'économie sociale et solidaire de Macouria.",
                    email=f"contact@{kind.replace('_', '-')}.demo.test",
                    phone=phone,
                    address="Macouria, Guyane",
                    website=f"https://{kind.replace('_', '-')}.demo.test",
                    opening_hours=hours,
                    is_welcoming_holders=welcomes,
                    theme_ids=tuple(themes[t] for t in theme_names),
                    district_ids=tuple(districts[d] for d in district_names),
                    languages=tuple(languages),
                ),
                now=now - timedelta(days=90),
            )
        )
    # A resident speaks for the couveuse (approved), another asks for a new association (waiting).
    couveuse = added[0]
    approved = services.request_representation(
        residents[0],
        council,
        organisation=couveuse,
        role_title="Chargée d'accompagnement",
        now=now - timedelta(days=80),
    )
    services.decide_representation(facilitator, approved, approve=True, now=now - timedelta(days=79))
    services.request_representation(
        residents[1],
        council,
        new=services.OrganisationInput(
            name="Jardins partagés du bourg",
            kind="association",
            services="Parcelles à cultiver, formation au maraîchage",
            theme_ids=(themes["Cadre de vie"],),
            languages=("fr", "gcr"),
        ),
        role_title="Président",
        message="Notre association vient d'être déclarée en préfecture.",
        now=now - timedelta(days=2),
    )
    services.set_hidden(facilitator, added[-1], hidden=True, now=now - timedelta(days=10))

    workshop = db.session.scalar(
        select(Workshop).where(Workshop.council_id == council.id).order_by(Workshop.starts_at.desc()).limit(1)
    )
    if workshop is not None:
        services.invite_expert(
            facilitator, workshop, couveuse, person_name="Inès Da Silva", role="Conseillère création", now=now
        )
        services.invite_expert(facilitator, workshop, added[1], person_name="Marc-Olivier", role="Animateur", now=now)

    for index, (title, description, needs, theme_names, district, language, days, step) in enumerate(REQUESTS):
        sent = now - timedelta(days=days)
        request = services.submit_request(
            residents[(index + 2) % len(residents)],
            council,
            services.RequestInput(
                title=title,
                description=description,
                needs=tuple(needs),
                theme_ids=tuple(themes[t] for t in theme_names),
                district_id=districts[district],
                language=language,
            ),
            now=sent,
        )
        if step == "received":
            continue
        services.take_request(facilitator, request, now=sent + timedelta(days=1))
        suggested = [organisation.id for _match, organisation in services.suggestions(request, limit=2)]
        services.refer_request(
            facilitator,
            request,
            tuple(suggested or (couveuse.id,)),
            message="Prenez rendez-vous de ma part.",
            now=sent + timedelta(days=rng.randint(1, 4)),
        )
        services.add_note(facilitator, request, "Premier rendez-vous pris.", now=sent + timedelta(days=5))
        if step == "closed":
            services.change_status(facilitator, request, "in_progress", now=sent + timedelta(days=10))
            services.change_status(facilitator, request, "closed", now=sent + timedelta(days=30))
    db.session.flush()
    return len(added)
