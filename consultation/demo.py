"""A realistic demo territory: three councils, workshops in every phase, proposals in several languages."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from consultation.accounts.models import User
from consultation.councils.models import Council, District, Membership, Theme
from consultation.extensions import db
from consultation.opinions.models import MunicipalAnswer, Opinion, OpinionItem, Recommendation, RecommendationAnswer
from consultation.opinions.rules import AnswerStatus
from consultation.permissions import Role
from consultation.proposals.models import Proposal, Support
from consultation.workshops.models import Workshop, WorkshopParticipant
from consultation.workshops.phases import Phase

DEMO_PASSWORD = "concertation-demo"  # noqa: S105  # nosec B105 (documented in README; demo data only)

COUNCILS = [
    {
        "slug": "macouria",
        "name": "Conseil citoyen de Macouria – Sainte-Agathe",
        "territory": "Macouria (Guyane)",
        "time_zone": "America/Cayenne",
        "description": (
            "Le conseil citoyen du quartier de Sainte-Agathe se réunit à la Maison des initiatives "
            "locales sociales et humaines (MILSH). Ses avis nourrissent la politique municipale de proximité."
        ),
        "themes": ["Mobilités", "Jeunesse", "Cadre de vie", "Emploi et économie solidaire"],
        "districts": ["Sainte-Agathe", "Soula", "Le bourg", "Tonate"],
    },
    {
        "slug": "pantin-quatre-chemins",
        "name": "Conseil citoyen de Pantin – Quatre-Chemins",
        "territory": "Pantin (Seine-Saint-Denis)",
        "description": "Le conseil citoyen suit le projet d'écoquartier des Quatre-Chemins avec les acteurs locaux.",
        "themes": ["Écoquartier", "Commerces et ESS", "Espaces verts"],
    },
    {
        "slug": "dieppe-maritime",
        "name": "Conseil citoyen de Dieppe-Maritime",
        "territory": "Communauté d'agglomération Dieppe-Maritime",
        "description": "Un conseil intercommunal qui travaille avec la Maison de l'ESS de Dieppe.",
        "themes": ["Tiers-lieux", "Alimentation", "Formation"],
    },
]

# (title, body, language) — residents write in their own language.
PROPOSALS = [
    (
        "Un passage piéton éclairé devant l'école",
        "Les enfants traversent la RN1 dans le noir le matin. Un passage éclairé et un agent aux heures d'entrée.",
        "fr",
    ),
    (
        "Yon liy bis ki pase nan Sainte-Agathe",
        "Anpil moun pa gen machin. Yon bis chak inèdtan ta ede paran yo ak travayè yo.",
        "ht",
    ),
    (
        "Ciclovia até o centro",
        "Uma ciclovia protegida entre Sainte-Agathe e o bourg permitiria ir ao trabalho de bicicleta com segurança.",
        "pt_BR",
    ),
    (
        "Abris contre la pluie aux arrêts",
        "Aux arrêts de car scolaire, les enfants attendent sous l'averse. Des abris simples en bois local suffiraient.",
        "fr",
    ),
    (
        "Covoiturage solidaire organisé par la MILSH",
        "Une plateforme simple et un tableau à la MILSH pour partager les trajets vers Cayenne.",
        "fr",
    ),
    (
        "Más iluminación en los caminos",
        "Los caminos entre los barrios no tienen luz. Faroles solares serían baratos.",
        "es",
    ),
    (
        "Un terrain de sport ouvert le soir",
        "Les jeunes n'ont pas de lieu le soir ; un plateau sportif éclairé jusqu'à 22 h.",
        "fr",
    ),
    (
        "Ateliers de réparation de vélos",
        "Un atelier mensuel animé par une association pour réparer les vélos des familles.",
        "fr",
    ),
    ("مواقف آمنة للدراجات", "نقترح مواقف آمنة للدراجات قرب المدرسة والسوق.", "ar"),
    (
        "Navette vers le marché du samedi",
        "Une navette le samedi matin pour les personnes âgées qui n'ont pas de voiture.",
        "fr",
    ),
    (
        "Trottoirs praticables pour les poussettes",
        "Les trottoirs sont coupés par les fossés ; il faut des passages continus.",
        "fr",
    ),
    ("Pwoteje timoun yo sou wout lekòl la", "Mete ralantisè devan lekòl yo pou machin yo pa kouri twò vit.", "ht"),
]

WORKSHOPS = [
    # (council slug, title, phase, days from today, proposals to attach)
    ("macouria", "Se déplacer à Sainte-Agathe : trajets vers l'école et le travail", Phase.IDEATION, 0, 8),
    ("macouria", "Accueil des nouveaux habitants", Phase.WELCOME, 14, 0),
    ("macouria", "Jeunesse : des lieux pour se retrouver le soir", Phase.DISCUSSION, -3, 4),
    ("macouria", "Budget du quartier : priorités 2027", Phase.VOTE, -7, 5),
    ("macouria", "Éclairage public et sécurité", Phase.SYNTHESIS, -20, 5),
    ("macouria", "Marché solidaire du samedi", Phase.CLOSED, -60, 6),
    ("pantin-quatre-chemins", "Écoquartier des Quatre-Chemins : les rez-de-chaussée", Phase.IDEATION, 2, 4),
    ("pantin-quatre-chemins", "Mois de l'ESS : programme des rencontres", Phase.CLOSED, -40, 4),
    ("dieppe-maritime", "Un tiers-lieu à la Maison de l'ESS", Phase.IDEATION, 5, 3),
    ("dieppe-maritime", "Circuits courts dans les cantines", Phase.DISCUSSION, -2, 3),
]

PEOPLE = [
    # (email, display name, [(council slug, role)], platform admin)
    ("admin@demo.test", "Administratrice", [], True),
    ("animatrice@demo.test", "Maëlle (animatrice)", [("macouria", Role.FACILITATOR)], False),
    ("conseiller@demo.test", "Jean-Claude (conseiller)", [("macouria", Role.MEMBER)], False),
    ("secretaire@demo.test", "Fatou (secrétaire)", [("macouria", Role.SECRETARY)], False),
    ("presidente@demo.test", "Rose (présidente)", [("macouria", Role.PRESIDENT)], False),
    ("mairie@demo.test", "Service démocratie locale", [("macouria", Role.OFFICER)], False),
    ("animateur.pantin@demo.test", "Karim (animateur)", [("pantin-quatre-chemins", Role.FACILITATOR)], False),
    ("conseillere.pantin@demo.test", "Sophie (conseillère)", [("pantin-quatre-chemins", Role.MEMBER)], False),
    ("animatrice.dieppe@demo.test", "Claire (animatrice)", [("dieppe-maritime", Role.FACILITATOR)], False),
]
RESIDENT_NAMES = ["Wilner", "Ana", "Marie-José", "Youssef", "Lucia", "Kévin", "Nadège", "Samuel", "Inès", "Rodrigue"]


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(Council.id)))


def load_demo(now: datetime | None = None, seed: int = 2026) -> str:
    now = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    rng = random.Random(seed)  # noqa: S311  # nosec B311 (reproducible demo data, not security)
    password_hash = generate_password_hash(DEMO_PASSWORD)  # hashed once: scrypt is slow on purpose

    councils: dict[str, Council] = {}
    for spec in COUNCILS:
        council = Council(
            slug=spec["slug"],
            name=spec["name"],
            territory=spec["territory"],
            description=spec["description"],
            time_zone=spec.get("time_zone", "Europe/Paris"),
            created_at=now - timedelta(days=400),
        )
        council.themes = [Theme(name=name) for name in spec["themes"]]
        council.districts = [District(name=name) for name in spec.get("districts", [])]
        db.session.add(council)
        councils[spec["slug"]] = council
    db.session.flush()

    people: dict[str, User] = {}
    for email, name, roles, is_admin in PEOPLE:
        user = User(
            email=email,
            display_name=name,
            password_hash=password_hash,
            is_admin=is_admin,
            created_at=now,
            email_confirmed_at=now,
        )
        for slug, role in roles:
            user.memberships.append(Membership(council=councils[slug], role=role.value, created_at=now))
        db.session.add(user)
        people[email] = user
    residents = []
    for number, name in enumerate(RESIDENT_NAMES, start=1):
        user = User(
            email=f"habitant{number}@demo.test",
            display_name=name,
            password_hash=password_hash,
            created_at=now,
            email_confirmed_at=now,
            charter_accepted_at=now,
        )
        user.memberships.append(Membership(council=councils["macouria"], role=Role.RESIDENT.value, created_at=now))
        db.session.add(user)
        residents.append(user)
    db.session.flush()

    proposal_count = support_count = 0
    closed_workshops: list[tuple[Workshop, list[Proposal]]] = []
    for slug, title, phase, days, how_many in WORKSHOPS:
        council = councils[slug]
        # 18:00 where the council meets, whatever its time zone.
        local_day = (now + timedelta(days=days)).astimezone(ZoneInfo(council.time_zone)).date()
        starts = datetime.combine(local_day, time(18, 0), tzinfo=ZoneInfo(council.time_zone)).astimezone(UTC)
        workshop = Workshop(
            council=council,
            title=title,
            description=(
                "Atelier de concertation ouvert à toutes et à tous, en salle et en ligne. "
                "On y parle français, créole haïtien, portugais et espagnol."
            ),
            language="fr",
            location="MILSH, Sainte-Agathe, Macouria" if slug == "macouria" else council.territory,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            phase=phase.value,
            phase_changed_at=now,
            created_at=now - timedelta(days=30),
        )
        db.session.add(workshop)
        proposals = []
        for index in range(how_many):
            text_title, body, language = PROPOSALS[(index + len(closed_workshops)) % len(PROPOSALS)]
            proposal = Proposal(
                workshop=workshop,
                author=rng.choice(residents),
                theme=rng.choice(council.themes),
                title=text_title,
                body=body,
                language=language,
                created_at=starts + timedelta(minutes=10 * index),
            )
            db.session.add(proposal)
            proposals.append(proposal)
        db.session.flush()
        for index, proposal in enumerate(proposals):
            supporters = rng.sample(residents, k=max(0, len(residents) - 1 - index - rng.randint(0, 2)))
            for supporter in supporters:
                db.session.add(Support(proposal_id=proposal.id, user_id=supporter.id, created_at=now))
            support_count += len(supporters)
        proposal_count += len(proposals)
        if phase is Phase.CLOSED:
            closed_workshops.append((workshop, proposals))
    db.session.flush()

    from consultation.workshops.demo import prepare_demo_workshops

    prepare_demo_workshops(
        councils,
        {
            "macouria": people["animatrice@demo.test"],
            "pantin-quatre-chemins": people["animateur.pantin@demo.test"],
            "dieppe-maritime": people["animatrice.dieppe@demo.test"],
        },
        residents,
        now,
    )

    from consultation.permissions import Actor
    from consultation.proposals.services import ranked_proposals

    opinions = 0
    recommendations = [
        "**Ouvrir** le marché solidaire chaque samedi matin, avec une navette pour les personnes âgées.",
        "**Réserver** des étals aux producteurs du quartier et aux associations de l'ESS.",
        "**Évaluer** l'expérience après six mois avec le conseil citoyen.",
    ]
    answers = [
        (AnswerStatus.ACCEPTED, "La navette du samedi sera testée dès le printemps avec le CCAS.", 60),
        (AnswerStatus.PARTLY, "Dix étals sur trente seront réservés ; le reste suit le règlement du marché.", None),
        (AnswerStatus.UNDER_STUDY, "Une évaluation est prévue avec le service démocratie locale.", 200),
    ]
    for index, (workshop, proposals) in enumerate(closed_workshops):
        adopted_at = workshop.ends_at + timedelta(days=14)
        opinion = Opinion(
            council_id=workshop.council_id,
            workshop=workshop,
            created_by=people["secretaire@demo.test"],
            title=f"Avis du conseil citoyen : {workshop.title}",
            context="Le conseil s'est saisi de la question après les ateliers de la MILSH.",
            findings="Les habitants demandent des horaires adaptés et une place pour les producteurs du quartier.",
            dissent="Deux membres auraient préféré un marché le mercredi après-midi, jour sans école.",
            language="fr",
            status="adopted",
            number=f"{adopted_at.year}-{index + 1:02d}",
            adopted_at=adopted_at,
            adoption_result={"winners": ["yes"], "details": {"counts": {"yes": 9, "no": 2, "abstain": 1}}},
            created_at=workshop.ends_at + timedelta(days=7),
            updated_at=adopted_at,
        )
        for position, ranked in enumerate(ranked_proposals(workshop, Actor.anonymous(), limit=10), start=1):
            opinion.items.append(
                OpinionItem(proposal_id=ranked.proposal.id, position=position, support_count=ranked.support_count)
            )
        for position, text in enumerate(recommendations, start=1):
            opinion.recommendation_list.append(
                Recommendation(position=position, text=text, sources=proposals[position - 1 : position + 1])
            )
        db.session.add(opinion)
        db.session.flush()
        if index == 0:
            # The first one went the whole way: transmitted, acknowledged, answered.
            opinion.transmitted_on = adopted_at.date() + timedelta(days=2)
            opinion.addressee = "Monsieur le Maire"
            opinion.acknowledged_on = adopted_at.date() + timedelta(days=9)
            answered_on = adopted_at.date() + timedelta(days=50)
            opinion.answer = MunicipalAnswer(
                answered_by_id=people["mairie@demo.test"].id,
                answered_on=answered_on,
                summary="La municipalité remercie le conseil citoyen et retient l'essentiel de ses recommandations.",
            )
            for recommendation, (status, reason, days) in zip(opinion.recommendation_list, answers, strict=True):
                recommendation.answer = RecommendationAnswer(
                    status=status.value,
                    reason=reason,
                    expected_on=answered_on + timedelta(days=days) if days else None,
                )
        elif index == 1:
            opinion.transmitted_on = adopted_at.date() + timedelta(days=3)
            opinion.addressee = "Madame l'adjointe à la démocratie locale"
        opinions += 1
    votes = _demo_votes(people, residents, councils, now, rng)
    from consultation.consultations import demo as consultations_demo

    proposal_count += consultations_demo.load(councils, people, residents, now, rng)
    from consultation.calls import demo as territory_demo

    territory_demo.load(councils, people, residents, now, rng)
    from consultation.territory import demo as actors_demo

    actors_demo.load(councils, people, residents, now, rng)
    db.session.flush()
    return (
        f"demo loaded: {len(councils)} councils, {len(WORKSHOPS)} workshops, {proposal_count} proposals, "
        f"{support_count} supports, {votes} votes, {opinions} opinions, {len(PEOPLE) + len(residents)} accounts"
    )


def _demo_votes(people: dict, residents: list, councils: dict, now: datetime, rng: random.Random) -> int:
    """An open majority-judgment vote of a workshop's room, a closed approval vote and the adoption motion
    of an opinion."""
    from consultation.voting import services as voting

    admin = people["admin@demo.test"]
    macouria = councils["macouria"]
    by_title = {w.title: w for w in db.session.scalars(select(Workshop).where(Workshop.council_id == macouria.id))}
    budget = by_title["Budget du quartier : priorités 2027"]
    lighting = by_title["Éclairage public et sécurité"]

    def proposals_of(workshop: Workshop) -> list[int]:
        return list(db.session.scalars(select(Proposal.id).where(Proposal.workshop_id == workshop.id)))

    judged = voting.create_vote(
        admin,
        macouria,
        voting.VoteSettings(
            question="Quelles priorités pour le budget du quartier en 2027 ?",
            method="majority_judgment",
            electorate="workshop",
            proposal_ids=proposals_of(budget),
        ),
        workshop=budget,
        now=now - timedelta(days=1),
    )
    voting.open_vote(admin, judged, now=now - timedelta(days=1))
    keys = voting.option_keys(judged)
    # The room votes from phones, without accounts, and two paper ballots are typed in.
    phones = db.session.scalars(select(WorkshopParticipant).where(WorkshopParticipant.workshop_id == budget.id))
    for phone in phones:
        voting.cast_participant_ballot(phone, judged, {key: rng.randint(1, 5) for key in keys}, now=now)
    for _ in range(2):
        voting.enter_paper_ballot(admin, judged, {key: rng.randint(0, 5) for key in keys}, now=now)

    approval = voting.create_vote(
        admin,
        macouria,
        voting.VoteSettings(
            question="Quels points d'éclairage traiter en premier ?",
            method="approval",
            electorate="residents",
            is_secret=True,
            proposal_ids=proposals_of(lighting),
        ),
        workshop=lighting,
        now=now - timedelta(days=15),
    )
    voting.open_vote(admin, approval, now=now - timedelta(days=15))
    keys = voting.option_keys(approval)
    for resident in residents:
        voting.cast_ballot(resident, approval, rng.sample(keys, k=rng.randint(1, len(keys))), now=now)
    voting.enter_paper_counts(
        admin,
        approval,
        channel="paper",
        counts={key: rng.randint(1, 4) for key in keys},
        ballots=6,
        now=now - timedelta(days=14),
    )
    voting.close_vote(admin, approval, now=now - timedelta(days=14))

    opinion = db.session.scalar(select(Opinion).where(Opinion.council_id == macouria.id).order_by(Opinion.id))
    motion = voting.create_vote(
        admin,
        macouria,
        voting.VoteSettings(
            question=f"Adopter l'avis : {opinion.title}",
            method="motion",
            electorate="members",
            majority="simple",
            opinion_id=opinion.id,
        ),
        now=opinion.adopted_at - timedelta(hours=2),
    )
    voting.open_vote(admin, motion, now=opinion.adopted_at - timedelta(hours=1))
    for email, choice in (
        ("conseiller@demo.test", "yes"),
        ("secretaire@demo.test", "yes"),
        ("presidente@demo.test", "abstain"),
    ):
        voting.cast_ballot(people[email], motion, choice, now=opinion.adopted_at - timedelta(minutes=30))
    voting.close_vote(admin, motion, now=opinion.adopted_at)
    opinion.adoption_vote_id = motion.id
    opinion.adoption_result = motion.result
    return 3
