"""Demo data of online consultations: one open in Macouria (proposals in several languages, supports,
a comment thread, one retained for a workshop), one closed in Pantin."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from consultation.consultations.models import Consultation, Follow, ProposalComment, ProposalEvent
from consultation.extensions import db
from consultation.proposals.models import Proposal, Support

# (title, body, language, theme index or None)
MACOURIA_PROPOSALS = [
    (
        "Des abris aux arrêts de bus de Soula",
        "Aux heures de pointe, on attend le bus **sous la pluie** ou en plein soleil. Trois abris suffiraient.",
        "fr",
        0,
    ),
    (
        "Yon ti mache chak samdi nan Sainte-Agathe",
        "Moun yo ta ka vann fwi ak legim yo. Sa ta fè katye a viv.",
        "ht",
        None,
    ),
    (
        "Ciclovía segura hasta el colegio",
        "Muchos niños van en bicicleta por la carretera nacional. Una ciclovía protegida los cuidaría.",
        "es",
        0,
    ),
    (
        "Planter des arbres fruitiers dans les espaces publics",
        "Des manguiers et des citronniers : de l'ombre, et des fruits pour tout le monde.",
        "fr",
        1,
    ),
    (
        "Iluminação no caminho da escola",
        "À noite o caminho fica escuro. Postes de luz trariam segurança para as famílias.",
        "pt_BR",
        0,
    ),
]


def load(councils: dict, people: dict, residents: list, now: datetime, rng: random.Random) -> int:
    """Add the demo consultations; returns how many proposals they hold."""
    macouria = councils["macouria"]
    open_one = Consultation(
        council=macouria,
        title="Mieux vivre dans nos quartiers",
        description=(
            "Le conseil citoyen prépare un avis sur la **vie des quartiers**. Envoyez vos propositions "
            "jusqu'à la fin du mois : les plus soutenues seront travaillées en atelier."
        ),
        language="fr",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        is_published=True,
        created_at=now - timedelta(days=12),
        updated_at=now - timedelta(days=12),
    )
    open_one.themes = list(macouria.themes)
    open_one.districts = list(macouria.districts)
    db.session.add(open_one)
    db.session.flush()
    proposals = []
    for index, (title, body, language, theme) in enumerate(MACOURIA_PROPOSALS):
        created = now - timedelta(days=9 - index, hours=rng.randint(0, 8))
        proposal = Proposal(
            consultation_id=open_one.id,
            author=residents[index % len(residents)],
            title=title,
            body=body,
            language=language,
            theme=macouria.themes[theme] if theme is not None and theme < len(macouria.themes) else None,
            district=macouria.districts[index % len(macouria.districts)] if macouria.districts else None,
            created_at=created,
            updated_at=created,
        )
        db.session.add(proposal)
        db.session.flush()
        db.session.add(ProposalEvent(proposal_id=proposal.id, kind="received", created_at=created, details={}))
        db.session.add(Follow(user_id=proposal.author_id, proposal_id=proposal.id, created_at=created))
        for supporter in rng.sample(residents, k=min(len(residents), rng.randint(1, 6))):
            if supporter.id != proposal.author_id:
                db.session.add(Support(proposal_id=proposal.id, user_id=supporter.id, created_at=created))
        proposals.append(proposal)
    first = proposals[0]
    comment = ProposalComment(
        proposal_id=first.id,
        author_id=residents[-1].id,
        body="Oui ! Surtout devant le collège.",
        language="fr",
        created_at=now - timedelta(days=5),
    )
    db.session.add(comment)
    db.session.flush()
    db.session.add(
        ProposalComment(
            proposal_id=first.id,
            parent_id=comment.id,
            author_id=first.author_id,
            body="Bonne idée, je l'ajoute à la proposition.",
            language="fr",
            created_at=now - timedelta(days=4),
        )
    )
    accepted = proposals[3]
    accepted.status = "accepted"
    db.session.add(
        ProposalEvent(
            proposal_id=accepted.id,
            kind="accepted",
            actor_id=people["animatrice@demo.test"].id,
            created_at=now - timedelta(days=3),
            details={},
        )
    )

    pantin = councils["pantin-quatre-chemins"]
    closed = Consultation(
        council=pantin,
        title="Le marché des Quatre-Chemins",
        description="Horaires, propreté, circulation : qu'attendez-vous du marché ?",
        language="fr",
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=30),
        is_published=True,
        created_at=now - timedelta(days=95),
        updated_at=now - timedelta(days=95),
    )
    db.session.add(closed)
    db.session.flush()
    created = now - timedelta(days=60)
    market = Proposal(
        consultation_id=closed.id,
        author=residents[1 % len(residents)],
        title="Un marché aussi le dimanche après-midi",
        body="Beaucoup de personnes travaillent le matin.",
        language="fr",
        created_at=created,
        updated_at=created,
    )
    db.session.add(market)
    db.session.flush()
    db.session.add(ProposalEvent(proposal_id=market.id, kind="received", created_at=created, details={}))
    db.session.flush()
    return len(proposals) + 1
